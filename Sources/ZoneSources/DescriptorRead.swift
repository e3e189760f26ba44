import Glibc

/// Reading a file descriptor until a count is reached or the file ends.
enum DescriptorRead {
    /// Reads into `buffer` until `count` octets are in or the file ends, retrying reads
    /// that a signal interrupted; how many octets came, or nil on a read error.
    static func fill(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, count: Int) -> Int? {
        var total = 0
        while total < count {
            let n = read(descriptor, buffer + total, count - total)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { break }
            total += n
        }
        return total
    }
}
