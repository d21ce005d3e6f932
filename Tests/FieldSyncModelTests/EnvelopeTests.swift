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

    /// A batch signed on every core is one chain, in order, each event verified by the key; a draft that does
    /// not fit its type throws and leaves the chain where it was.
    @Test func aBatchSignedOnEveryCoreIsOneChain() async throws {
        var chain = DeviceChain(device: Self.key.publicKey.deviceID)
        let first = try chain.sign(Self.turnoutDraft(), key: Self.key)
        let drafts = (0..<300).map { Self.turnoutDraft(votes: 120 + $0) }
        let events = try await chain.sign(drafts, key: Self.key)
        #expect(events.count == drafts.count)
        var previous = first
        for (event, draft) in zip(events, drafts) {
            #expect(event.seq == previous.seq + 1 && event.prevHash == previous.hash)
            #expect(event.isSignatureValid(by: Self.key.publicKey))
            #expect(event.data == draft.data)
            previous = event
        }
        #expect(chain.lastSeq == 301 && chain.lastHash == events.last?.hash)
        #expect(Set(events.map(\.id)).count == events.count)

        let broken = EventDraft(
            type: .turnoutCounted, subject: "NA-248-017", time: "2024-02-08T11:02:00+05:00", data: [:])
        do {
            _ = try await chain.sign(drafts + [broken], key: Self.key)
            Issue.record("a draft without its data was signed")
        } catch {}
        #expect(chain.lastSeq == 301 && chain.lastHash == events.last?.hash)
        let next = try chain.sign(Self.turnoutDraft(), key: Self.key)
        #expect(next.seq == 302 && next.prevHash == events.last?.hash)
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
