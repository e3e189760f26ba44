import Foundation

/// This process's memory as the kernel counts it (`VmRSS` and `VmHWM` of
/// `/proc/self/status`, Linux only): what the zones cost, without an outside tool.
public struct ProcessMemory: Sendable {
    /// Resident set size now, in bytes.
    public var resident: Int?
    /// The highest resident set size so far, in bytes.
    public var peak: Int?

    public static func now() -> ProcessMemory {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return ProcessMemory(resident: nil, peak: nil)
        }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kib = Int(parts[1]) else { return nil }
            return kib * 1024
        }
        return ProcessMemory(resident: field("VmRSS"), peak: field("VmHWM"))
    }
}
