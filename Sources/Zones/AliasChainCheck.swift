import DNSWire

/// The ALIAS graph of a zone set walked once for every ALIAS record: a target must be
/// served, exist, hold records, not be glue or a CNAME; no chain may loop or be longer
/// than `maximumAliasChain` hops (answers stop following there, so such a chain would
/// silently answer nothing).
///
/// Each name's outcome is remembered, so the whole graph costs time linear in its size
/// however many ALIAS records lead into it; the walk keeps its own stack, so a chain of
/// any length cannot exhaust the thread's.
struct AliasChainCheck {
    static var maximumAliasChain: Int { ZoneSetValidator.maximumAliasChain }

    let set: ZoneSet
    let failedOrigins: [DomainName]
    /// Every name some ALIAS points at: a chain that is too long is reported at the names
    /// that start it, not again at each name along it.
    let targets: Set<DomainName>

    /// What a finished name leads to: the longest chain of ALIAS hops from it (and the
    /// first name of that chain), or the problem found at or below it.
    enum Outcome {
        case chain(hops: Int, next: DomainName?)
        case problem(String)
    }
    var finished: [DomainName: Outcome] = [:]

    init(set: ZoneSet, failedOrigins: [DomainName]) {
        self.set = set
        self.failedOrigins = failedOrigins
        var targets: Set<DomainName> = []
        for zone in set.zones {
            for node in zone.trie.nodes {
                for group in node.groups where group.type == nil {
                    for member in group.sets {
                        if case .alias(let target) = member.content { targets.insert(target) }
                    }
                }
            }
        }
        self.targets = targets
    }

    /// One name on the walk's path and the ALIAS targets of its records still to visit.
    struct Frame {
        var name: DomainName
        var targets: [DomainName]
        var next = 0
        var hops = 0
        var longest: DomainName? = nil
    }

    /// Why the ALIAS at `owner` to `target` cannot be served, or nil when it can.
    mutating func problem(from owner: DomainName, to target: DomainName) -> String? {
        switch outcome(of: target, from: owner) {
        case .problem(let message):
            return message
        case .chain(let hops, _) where hops + 1 > AliasChainCheck.maximumAliasChain:
            // Reported where the chain starts: every ALIAS on it would say the same.
            guard !targets.contains(owner) else { return nil }
            var names = [owner, target]
            var current = target
            while names.count < 4, case .chain(_, let next?)? = finished[current] {
                names.append(next)
                current = next
            }
            let shown = names.map(\.description).joined(separator: " → ") + (names.count < hops + 2 ? " → …" : "")
            return "ALIAS chain from \(owner) is \(hops + 1) hops long (\(shown)); answers follow at most \(AliasChainCheck.maximumAliasChain)"
        case .chain:
            return nil
        }
    }

    /// The outcome of `start`, walking what is not known yet depth first. A name met again
    /// on the current path is a loop; loops are not remembered, since their message
    /// depends on the path (each ALIAS in a loop reports the loop from itself).
    mutating func outcome(of start: DomainName, from owner: DomainName) -> Outcome {
        var path: [Frame] = []
        var onPath: Set<DomainName> = [owner]
        var result = enter(start, path: &path, onPath: &onPath, owner: owner)
        while !path.isEmpty {
            if let child = result {
                // A child finished: fold it into its parent, or pass a problem up.
                result = nil
                switch child {
                case .problem(let message):
                    let isLoop = message.hasPrefix(AliasChainCheck.loopPrefix)
                    while let frame = path.popLast() {
                        onPath.remove(frame.name)
                        if !isLoop { finished[frame.name] = child }
                    }
                    return .problem(message)
                case .chain(let hops, _):
                    let parent = path.count - 1
                    let reached = path[parent].targets[path[parent].next - 1]
                    if hops + 1 > path[parent].hops {
                        path[parent].hops = hops + 1
                        path[parent].longest = reached
                    }
                }
            }
            let top = path.count - 1
            if path[top].next < path[top].targets.count {
                let target = path[top].targets[path[top].next]
                path[top].next += 1
                result = enter(target, path: &path, onPath: &onPath, owner: owner)
            } else {
                let frame = path.removeLast()
                onPath.remove(frame.name)
                let done = Outcome.chain(hops: frame.hops, next: frame.longest)
                finished[frame.name] = done
                result = done
            }
        }
        return result!
    }

    static let loopPrefix = "ALIAS loop: "

    /// Starts on `name`: its outcome when known or decided at once, else nil after
    /// pushing it on the path.
    mutating func enter(_ name: DomainName, path: inout [Frame], onPath: inout Set<DomainName>, owner: DomainName) -> Outcome? {
        if onPath.contains(name) {
            let names = [owner] + path.map(\.name) + [name]
            return .problem(AliasChainCheck.loopPrefix + names.map(\.description).joined(separator: " → "))
        }
        if let known = finished[name] { return known }
        let node: NameNode
        switch targetNode(name) {
        case .failure(let problem):
            finished[name] = .problem(problem.message)
            return .problem(problem.message)
        case .success(let found):
            node = found
        }
        var targets: [DomainName] = []
        for group in node.groups {
            for member in group.sets {
                if case .alias(let next) = member.content, !targets.contains(next) { targets.append(next) }
            }
        }
        path.append(Frame(name: name, targets: targets))
        onPath.insert(name)
        return nil
    }

    struct Problem: Error { var message: String }

    /// The node an ALIAS to `name` answers from, or why there is none.
    func targetNode(_ name: DomainName) -> Result<NameNode, Problem> {
        let zone = set.zone(for: name)
        let failed = failedOrigins.filter { name.isSubdomain(of: $0) }.max { $0.labelCount < $1.labelCount }
        if let failed, failed.labelCount > (zone?.originLabels ?? -1) {
            return .failure(Problem(message: "ALIAS target \(name) is in zone \(failed), which failed to load"))
        }
        guard let zone else {
            return .failure(Problem(message: "ALIAS target \(name) is not in a zone this server loads"))
        }
        guard let index = zone.trie.find(name) else {
            return .failure(Problem(message: "ALIAS target \(name) does not exist in zone \(zone.origin)"))
        }
        let node = zone.trie.nodes[Int(index)]
        if node.cut >= 0 {
            return .failure(Problem(message: "ALIAS target \(name) is below the delegation \(zone.trie.nodes[Int(node.cut)].name); its records there are glue, not answers"))
        }
        if node.isEmptyNonTerminal { return .failure(Problem(message: "ALIAS target \(name) has no records")) }
        if node.flags.contains(.cname) {
            return .failure(Problem(message: "ALIAS target \(name) is a CNAME; an ALIAS must point at address records (Route 53 rejects this)"))
        }
        return .success(node)
    }
}
