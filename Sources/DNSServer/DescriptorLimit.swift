#if canImport(Glibc)
import Glibc
#endif

/// The process's open-file limit, which bounds how many TCP clients can be held at once
/// without starving health probes, zone reloads and the admin API of descriptors.
public enum DescriptorLimit {
    /// Raises the soft RLIMIT_NOFILE to the hard limit (SPEC §5: the soft limit is often
    /// 1,024 while the hard one allows far more) and returns the soft limit now in force.
    @discardableResult
    public static func raiseSoftToHard() -> Int {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resourceNoFile, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    /// The soft limit in force.
    public static var current: Int {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
    }

    /// How many TCP connections the DNS server may hold under a descriptor limit of
    /// `limit`: half of it, as Knot does, so the other half stays free for probes, the
    /// admin API, zone files and the UDP sockets. An explicit `requested` total is honoured
    /// up to `limit` less `reserved` descriptors.
    public static func tcpConnectionBudget(limit: Int, requested: Int? = nil, reserved: Int = 64) -> Int {
        let ceiling = max(1, limit - reserved)
        guard let requested else { return max(1, min(limit / 2, ceiling)) }
        return max(1, min(requested, ceiling))
    }

    #if canImport(Glibc)
    static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    static let resourceNoFile = RLIMIT_NOFILE
    #endif
}
