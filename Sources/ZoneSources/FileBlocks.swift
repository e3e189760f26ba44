import Glibc
import Zones

/// A zone file on disk read a mebibyte at a time, so that loading a big zone holds one
/// block of its text rather than all of it (a reload already holds the zone it replaces).
final class FileBlocks: ZoneFileBlocks {
    static let blockSize = 1 << 20

    let descriptor: Int32
    let size: Int
    private(set) var failure: String?
    /// The most octets still to be read: the zone's byte limit and one more, so a file
    /// that grows past the limit while it is read is still caught by the parser.
    var remaining: Int

    init(descriptor: Int32, size: Int, maximumBytes: Int) {
        self.descriptor = descriptor
        self.size = size
        remaining = maximumBytes == .max ? .max : maximumBytes + 1
    }

    deinit { close(descriptor) }

    /// Opens `path`; a file larger than `maximumBytes` is refused before it is read, with
    /// the messages of `FolderZoneSource.read`.
    static func open(_ path: String, maximumBytes: Int) -> ZoneSourceFile.BlockContents {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .unreadable("cannot read file") }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            return .unreadable("cannot read file")
        }
        let size = Int(info.st_size)
        guard size <= maximumBytes else {
            close(descriptor)
            return .unreadable("zone file of \(size) bytes exceeds the limit of \(maximumBytes) bytes per zone (--max-zone-bytes)")
        }
        return .blocks(FileBlocks(descriptor: descriptor, size: size, maximumBytes: maximumBytes))
    }

    func nextBlock() -> [UInt8]? {
        guard failure == nil, remaining > 0 else { return nil }
        let wanted = min(FileBlocks.blockSize, remaining)
        var failed = false
        let block = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, count in
            let read = DescriptorRead.fill(descriptor, buffer.baseAddress!, count: wanted)
            failed = read == nil
            count = read ?? 0
        }
        if failed {
            failure = "cannot read file"
            return nil
        }
        remaining -= block.count
        return block.isEmpty ? nil : block
    }
}
