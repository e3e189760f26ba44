import Testing
@Test func warm() { #expect(1 == 1) }
