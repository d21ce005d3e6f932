import Testing

@testable import FieldSyncServer

@Suite struct BearerTokenTests {
    /// A token follows `--token` on command lines: one starting with `-` would read as an option.
    @Test func noTokenStartsWithADash() {
        let tokens = (0..<10_000).map { _ in BearerToken.make().text }
        #expect(!tokens.contains { $0.hasPrefix("-") })
        #expect(Set(tokens).count == tokens.count)
        #expect(tokens.allSatisfy { BearerToken(authorization: "Bearer " + $0)?.text == $0 })
    }
}
