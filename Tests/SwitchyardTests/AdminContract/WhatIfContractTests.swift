import AdminContract
import Foundation
import Testing

/// The what-if part of the admin API's JSON contract: every key written, unset ones as
/// null, and read back equal.
@Suite struct WhatIfContractTests {
    @Test func whatIfRequestAndReportWriteEveryFieldAndUnsetOnesAsNull() throws {
        try AdminContractRoundTripTests.roundTrip(AdminJSON.WhatIfRequest(regions: ["us-east-1"]), keys: ["regions", "down", "clients"], nulls: ["down", "clients"])
        try AdminContractRoundTripTests.roundTrip(AdminJSON.WhatIfShare(set: nil, share: 12.5), keys: ["set", "share"], nulls: ["set"])
        try AdminContractRoundTripTests.roundTrip(AdminJSON.WhatIfMove(from: "use1", to: nil, share: 40), keys: ["from", "to", "share"], nulls: ["to"])
        let name = AdminJSON.WhatIfName(name: "www.example.test.", type: "A", policy: "latency",
                                        before: [.init(set: "use1", share: 60), .init(set: "euw1", share: 40)],
                                        after: [.init(set: "euw1", share: 100)], moves: [.init(from: "use1", to: "euw1", share: 60)],
                                        leftWithoutHealthySet: false)
        try AdminContractRoundTripTests.roundTrip(name, keys: ["name", "type", "policy", "before", "after", "moves", "leftWithoutHealthySet"], nulls: [])
        let report = AdminJSON.WhatIfReport(assumed: .init(regions: ["us-east-1"], down: [], checksDown: ["use1"]), names: [name],
                                            namesWithoutHealthySet: ["fo.example.test. A"], clients: 100_000, classes: 812,
                                            elapsedSeconds: 0.412)
        try AdminContractRoundTripTests.roundTrip(report, keys: ["assumed", "names", "namesWithoutHealthySet", "clients", "classes", "elapsedSeconds"], nulls: [])
        try AdminContractRoundTripTests.roundTrip(report.assumed, keys: ["regions", "down", "checksDown"], nulls: [])
    }
}
