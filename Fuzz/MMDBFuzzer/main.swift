import FuzzEntries
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if FUZZING
// Fuzz/run.sh builds this with -DFUZZING and libFuzzer. SwiftPM links an executable with
// its own `main`, so libFuzzer's is never reached: start libFuzzer's driver here instead.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    MMDBFuzzing.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

@_extern(c, "LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
#else
// The ordinary build: replay saved inputs (a corpus folder, a crash file) through the
// same entry, without sanitizers.
exit(FuzzReplay.main(arguments: CommandLine.arguments, entry: MMDBFuzzing.run))
#endif
