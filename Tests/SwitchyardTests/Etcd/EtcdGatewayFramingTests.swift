@testable import Etcd
import Foundation
import NIOCore
import Testing

/// How the client frames etcd's JSON gateway without a server: key ranges, the splitting
/// of streamed answers and the proto3 JSON defaults.
@Suite struct EtcdGatewayFramingTests {
    @Test func prefixEndRaisesTheLastByteBelow0xFFAndDropsTheRest() {
        #expect(EtcdKeyRange.prefixEnd(Array("a/".utf8)) == Array("a0".utf8))
        #expect(EtcdKeyRange.prefixEnd([0x61, 0xFF]) == [0x62])
        #expect(EtcdKeyRange.prefixEnd([0xFF, 0xFF]) == [0])
        #expect(EtcdKeyRange.prefix("").key == [0])
        #expect(EtcdKeyRange.prefix("").end == [0])
    }

    @Test func streamSplitterJoinsMessagesCutAcrossChunksAndSeparatesSeveralInOne() throws {
        var splitter = GatewayStreamSplitter(limit: 1024)
        #expect(try splitter.append(ByteBuffer(string: "{\"a\":")).isEmpty)
        #expect(splitter.hasPartialMessage)
        let joined = try splitter.append(ByteBuffer(string: "1}\n{\"b\":2}\n\n{\"c\""))
        #expect(joined.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":2}"])
        let last = try splitter.append(ByteBuffer(string: ":3}\n"))
        #expect(last.map { String(decoding: $0, as: UTF8.self) } == ["{\"c\":3}"])
        #expect(!splitter.hasPartialMessage)
        #expect(splitter.remainder == nil)
        #expect(try splitter.append(ByteBuffer(string: "{\"d\":4}")).isEmpty)
        #expect(splitter.remainder.map { String(decoding: $0, as: UTF8.self) } == "{\"d\":4}")
    }

    @Test func streamSplitterRefusesAMessageLongerThanItsLimit() {
        var splitter = GatewayStreamSplitter(limit: 16)
        #expect(throws: EtcdError.self) {
            _ = try splitter.append(ByteBuffer(string: String(repeating: "x", count: 10)))
            _ = try splitter.append(ByteBuffer(string: String(repeating: "x", count: 10)))
        }
    }

    @Test func absentFieldsDecodeToProtoDefaultsAndInt64sFromStrings() throws {
        let empty = try JSONDecoder().decode(GatewayRangeResponse.self, from: Data(#"{"header":{"revision":"42"}}"#.utf8))
        #expect(empty.result.revision == 42 && empty.result.kvs.isEmpty && empty.result.count == 0 && !empty.result.more)
        let watch = try JSONDecoder().decode(GatewayStreamMessage<GatewayWatchResponse>.self, from: Data(
            #"{"result":{"header":{"revision":"9"},"events":[{"kv":{"key":"YQ==","mod_revision":"8","value":"Yg=="}},{"type":"DELETE","kv":{"key":"YQ==","mod_revision":"9"}}]}}"#.utf8))
        let events = try #require(watch.result?.events)
        #expect(events.map(\.kind) == [.put, .delete])
        #expect(events.map(\.kv.modRevision) == [8, 9])
        #expect(events.first?.kv.value == Array("b".utf8))
        #expect(throws: (any Error).self) {
            _ = try JSONDecoder().decode(GatewayRangeResponse.self, from: Data(#"{"header":{"revision":"4x"}}"#.utf8))
        }
    }

    @Test func errorAnswersKeepTheirGRPCCodeAndOnlyLeaderTroubleIsRetriable() {
        let noLeader = EtcdClient.rejection(status: 503, body: Array(#"{"error":"etcdserver: no leader","message":"etcdserver: no leader","code":14}"#.utf8))
        #expect(noLeader.isUnavailable)
        let notFound = EtcdClient.rejection(status: 404, body: Array(#"{"error":"etcdserver: requested lease not found","code":5}"#.utf8))
        guard case .rejected(5, let message) = notFound else {
            Issue.record("expected code 5, got \(notFound)")
            return
        }
        #expect(message == "etcdserver: requested lease not found")
        #expect(!notFound.isUnavailable)
        #expect(EtcdClient.rejection(status: 503, body: []).isUnavailable)
    }
}
