import Foundation

/// Who runs the CLI, for the override history.
enum ProcessInfoUser {
    static var name: String {
        ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
    }

    static var host: String { ProcessInfo.processInfo.hostName }
}
