#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a fuzz executable's `main` does, for every target alike. Built by Fuzz/run.sh
/// (`-DFUZZING`, libFuzzer, ASan) it starts libFuzzer's driver over the target's entry:
/// SwiftPM links each executable with its own `main`, so libFuzzer's is never reached.
/// In the ordinary build it replays the files and folders on the command line through the
/// same entry, without sanitizers.
public enum FuzzDriver {
    public static func main(_ entry: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
        #if FUZZING
        currentEntry = entry
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
        #else
        exit(FuzzReplay.main(arguments: CommandLine.arguments, entry: entry))
        #endif
    }

    #if FUZZING
    /// Set once, before libFuzzer starts calling `fuzzOneInput` (from one thread).
    nonisolated(unsafe) static var currentEntry: ((UnsafeRawBufferPointer) -> Void)?
    #endif
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.currentEntry?(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
