import Testing

@testable import FieldSyncModel

@Suite struct EnvelopeTests {
    static let key = try! SigningKey(rawRepresentation: [UInt8](repeating: 7, count: 32))

    static func turnoutDraft(votes: Int = 120) -> EventDraft {
        EventDraft(
            payload: .turnoutCounted(
                TurnoutCount(asOf: ObservedTime("2024-02-08T11:00:00+05:00")!, votesCast: votes, male: 70, female: 50)),
            subject: "NA-248-017", time: ObservedTime("2024-02-08T11:02:00+05:00")!)
    }

    @Test func signsParsesAndVerifies() throws {
        var chain = DeviceChain(device: Self.key.publicKey.deviceID)
        let first = try chain.sign(Self.turnoutDraft(), key: Self.key)
        let second = try chain.sign(Self.turnoutDraft(votes: 200), key: Self.key)
        #expect(first.seq == 1 && first.prevHash == .zero)
        #expect(second.seq == 2 && second.prevHash == first.hash)
        #expect(first.isSignatureValid(by: Self.key.publicKey))
        let parsed = try Event(jsonBytes: first.canonicalBytes)
        #expect(parsed == first)
        #expect(parsed.hash == SHA256Digest.hash(parsed.hashedBytes))
        guard case .turnoutCounted(let turnout) = parsed.payload else {
            Issue.record("wrong payload")
            return
        }
        #expect(turnout.votesCast == 120)
        #expect(parsed.station == StationCode("NA-248-017"))
    }

    @Test func storedEventRoundTripsThroughItsLine() throws {
        var chain = DeviceChain(device: Self.key.publicKey.deviceID)
        let event = try chain.sign(Self.turnoutDraft(), key: Self.key)
        let received = Timestamp(rfc3339: "2024-02-08T06:03:00.123456Z")!
        let stored = StoredEvent(event: event, position: 1, received: received, previous: GlobalChain.genesis)
        let line = stored.line
        let back = try StoredEvent(line: Array(line.utf8) + [0x0a])
        #expect(back == stored)
        #expect(back.isLinked(after: GlobalChain.genesis))
        #expect(throws: EventDecodingError.self) { try Event(jsonBytes: Array(line.utf8)) }
    }
}
