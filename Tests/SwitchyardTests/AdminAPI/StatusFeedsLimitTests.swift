import DNSServer
import Drills
import Foundation
import Testing
import Zones

@testable import AdminAPI

/// The status page charts at most `StatusFeeds.maximumNames` routed names, the answered
/// ones first, so a zone of thousands keeps the page small.
@Suite struct StatusFeedsLimitTests {
    @Test func atMostTheLimitAreChartedAnsweredNamesFirst() throws {
        let count = StatusFeeds.maximumNames + 50
        var text = """
            $ORIGIN many.test.
            @   IN SOA ns hostmaster 1 3600 900 1209600 60
            @   IN NS  ns
            ns  IN A   127.0.0.1

            """
        for i in 0..<count {
            text += "n\(i) [weighted id=a weight=1] 60 IN A 192.0.2.1\nn\(i) [weighted id=b weight=1] 60 IN A 192.0.2.2\n"
        }
        let store = ZoneStore(ZoneFixtures.zoneSet(text, origin: "many.test."))
        let groups = RoutedGroupIndex().groups(of: store)
        #expect(groups.count == count)
        // The last two names in order are the answered ones: they must still be charted.
        let answered = ["n98.many.test.", "n99.many.test."]
        let history = AnswerShareHistory()
        let now = Date()
        history.record(groups.filter { answered.contains($0.key.name) }.map { RoutedAnswerCount(group: $0.value, set: 0, count: 3) }, at: now)
        let names = StatusFeeds.names(groups, history: history.window(endingAt: now))
        #expect(names.count == StatusFeeds.maximumNames)
        for name in answered {
            let charted = try #require(names.first { $0.name == name })
            #expect(charted.buckets.reduce(0) { $0 + ($1.counts["a"] ?? 0) } == 3)
        }
        #expect(names.map(\.name) == names.map(\.name).sorted())
    }
}
