import DNSWire
import NIOCore
import Routing

extension Authority {
    /// What the server sends for one request, decided in one place: nothing, a reply
    /// without an answer (FORMERR, NOTIMP, BADVERS, or the empty TC=1 reply rate
    /// limiting slips), or the answer to a real question (whose REFUSED for another class,
    /// a zone transfer or a name outside every zone `answer` decides).
    public enum Reply {
        /// No reply at all: a runt, or a response (QR=1).
        case drop
        case rejection(Rejection)
        case answer(Query, Response)
        /// A zone transfer request (AXFR, IXFR): the server's transfer code decides what
        /// goes back; encoded on its own it is REFUSED.
        case transfer(Query)
        /// A query signed with TSIG: answered as usual (`answer`), then checked and signed
        /// by the server's transfer code; encoded on its own it is the plain answer.
        case signed(Query, Response)
    }

    /// A reply that carries no records: the request's id and flags echoed with `rcode`,
    /// and its question and OPT when it decoded that far.
    public struct Rejection {
        public var id: UInt16
        public var requestFlags: UInt16
        public var rcode: ResponseCode
        public var query: Query?
        /// The empty TC=1 reply that sends a client to TCP.
        public var truncated = false

        /// The query type counted for it (0, "other", when the question did not decode).
        public var type: UInt16 { query?.question.type.rawValue ?? 0 }
    }

    /// Decodes one request as it arrived. `whole` is false when the transport cut the
    /// message short (a datagram longer than the read buffer): what is left cannot be
    /// trusted, so it is a FORMERR when its header is a query's, and dropped otherwise.
    public static func decode(_ request: ByteBuffer, whole: Bool = true) -> Result<Query, Query.Rejection> {
        guard whole else {
            guard request.readableBytes >= 12, let id = request.getInteger(at: request.readerIndex, as: UInt16.self),
                  let flags = request.getInteger(at: request.readerIndex + 2, as: UInt16.self), flags & Header.qrMask == 0 else {
                return .failure(.drop)
            }
            return .failure(.reply(id: id, flags: flags, rcode: .formErr))
        }
        do {
            return .success(try Query(decoding: request))
        } catch {
            return .failure(error)
        }
    }

    /// The reply to a decoded request: the packet-level guards (RFC 6891 §6.1.3's BADVERS
    /// for an EDNS version above 0; FORMERR for a question of type OPT or 0, which are
    /// meta types no one can ask for), then `answer` for a real question. The generator is
    /// concrete so that `answer` is specialised for it here, in this module, rather than
    /// run generically from the server's.
    public func reply(to decoded: consuming Result<Query, Query.Rejection>, source: IPAddress, snapshot: Snapshot,
                      random: inout SplitMix64) -> Reply {
        let query: Query
        // Consumed, so the query moves out of the result instead of being copied.
        switch consume decoded {
        case .success(let decodedQuery):
            query = decodedQuery
        case .failure(.drop):
            return .drop
        case .failure(.reply(let id, let flags, let rcode)):
            return .rejection(Rejection(id: id, requestFlags: flags, rcode: rcode))
        case .failure(.notImplemented(let query)):
            return .rejection(Rejection(id: query.id, requestFlags: query.flags, rcode: .notImp, query: query))
        case .failure(.signed(let signedQuery)):
            let inner = reply(to: .success(signedQuery), source: source, snapshot: snapshot, random: &random)
            guard case .answer(let query, let response) = inner else { return inner }
            return .signed(query, response)
        }
        if let edns = query.edns, edns.version > 0 {
            return .rejection(Rejection(id: query.id, requestFlags: query.flags, rcode: .badVers, query: query))
        }
        if query.question.type == .opt || query.question.type.rawValue == 0 {
            return .rejection(Rejection(id: query.id, requestFlags: query.flags, rcode: .formErr, query: query))
        }
        // One comparison for both transfer types (IXFR 251, AXFR 252).
        if query.question.type.rawValue &- RecordType.ixfr.rawValue < 2 { return .transfer(query) }
        let client = ClientContext(source: source, subnet: query.clientSubnet)
        return .answer(query, answer(query.question, client: client, snapshot: snapshot, random: &random))
    }

    /// The reply rate limiting sends instead of an answer: header, question and OPT, TC=1,
    /// no records, so a real client asks again over TCP; nothing for a request that does
    /// not decode as a query.
    public static func slip(_ decoded: Result<Query, Query.Rejection>) -> Reply {
        guard case .success(let query) = decoded else { return .drop }
        return .rejection(Rejection(id: query.id, requestFlags: query.flags, rcode: .noError, query: query, truncated: true))
    }

    /// Writes `reply` after whatever `buffer` holds (a TCP length prefix, say), an answer
    /// within `limit` octets. Returns whether the answer was truncated (false when nothing
    /// was written).
    @discardableResult
    public static func encode(_ reply: Reply, limit: Int, into buffer: inout ByteBuffer) -> Bool {
        switch reply {
        case .drop:
            return false
        case .rejection(let rejection):
            ResponseEncoder.encodeRejection(id: rejection.id, requestFlags: rejection.requestFlags, rcode: rejection.rcode,
                                            query: rejection.query, truncated: rejection.truncated, into: &buffer)
            return false
        case .answer(let query, let response):
            return ResponseEncoder.encode(response, to: query, limit: limit, into: &buffer)
        case .transfer(let query):
            return ResponseEncoder.encode(.refused(), to: query, limit: limit, into: &buffer)
        case .signed(let query, let response):
            return ResponseEncoder.encode(response, to: query, limit: limit, into: &buffer)
        }
    }
}
