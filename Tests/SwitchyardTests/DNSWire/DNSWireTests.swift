/// Groups the suites for the `DNSWire` module, so they can be run together with
/// `swift test --filter DNSWire`.
enum DNSWireTests {}
