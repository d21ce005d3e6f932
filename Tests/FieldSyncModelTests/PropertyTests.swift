import Testing

@testable import FieldSyncModel

/// Properties that hold for random events.
@Suite struct PropertyTests {
    static func signedChain(count: Int, seed: UInt64, key: SigningKey = Fixture.reporterKey) -> [Event] {
        var random = SplitMix64(seed: seed)
        var chain = DeviceChain(device: key.publicKey.deviceID)
        return (0..<count).map { _ in
            try! chain.sign(
                RandomEvents.draft(random: &random), id: EventID(high: random.next(), low: random.next()), key: key)
        }
    }

    /// Rewriting an event with other member orders, whitespace and escapes changes neither its
    /// canonical form nor its hash.
    @Test func canonicalFormAndHashSurviveRewriting() throws {
        var random = SplitMix64(seed: 1)
        for event in Self.signedChain(count: 200, seed: 2) {
            let loose = RandomJSON.looseText(event.jsonValue, random: &random)
            let reread = try Event(jsonBytes: Array(loose.utf8))
            #expect(reread == event)
            #expect(reread.hash == event.hash)
            #expect(reread.canonicalBytes == event.canonicalBytes)
            #expect(CanonicalJSON.bytes(try JSONParser.parse(event.canonicalBytes)) == event.canonicalBytes)
            #expect(try Payload.decode(type: event.type, data: event.payload.jsonValue) == event.payload)
        }
    }

    /// Changing any single byte of a signed event makes it unreadable or its signature invalid.
    @Test func flippingAnyByteBreaksVerification() {
        let validator = Fixture.validator
        for event in Self.signedChain(count: 4, seed: 3) {
            let bytes = event.canonicalBytes
            #expect(validator.verifySignature(of: try! Event(jsonBytes: bytes)) == nil)
            for index in bytes.indices {
                for mask: UInt8 in [0x01, 0x20] {
                    var flipped = bytes
                    flipped[index] ^= mask
                    guard let changed = try? Event(jsonBytes: flipped) else { continue }
                    #expect(validator.verifySignature(of: changed) != nil, "byte \(index) ^ \(mask) went unnoticed")
                }
            }
        }
    }

    /// Dropping, repeating, reordering or re-linking any event of a device chain is caught.
    @Test func brokenDeviceChainsAreDetected() throws {
        var random = SplitMix64(seed: 4)
        let events = Self.signedChain(count: 12, seed: 5)
        var whole = DeviceChain(device: Fixture.reporterKey.publicKey.deviceID)
        for event in events { try whole.append(event) }

        func breaks(_ sequence: [Event]) -> Bool {
            var chain = DeviceChain(device: Fixture.reporterKey.publicKey.deviceID)
            for event in sequence {
                if chain.problem(with: event) != nil { return true }
                try! chain.append(event)
            }
            return false
        }
        for _ in 0..<200 {
            var broken = events
            let index = random.next(below: events.count)
            let kind = random.next(below: 4)
            // Dropping or re-signing the last event leaves a valid chain, just a different one.
            if index == events.count - 1 && (kind == 0 || kind == 3) { continue }
            switch kind {
            case 0:
                broken.remove(at: index)
            case 1:
                broken.insert(events[index], at: index)
            case 2:
                let other = (index + 1 + random.next(below: events.count - 1)) % events.count
                broken.swapAt(index, other)
            default:
                var draft = EventDraft(
                    payload: events[index].payload, subject: events[index].subject, time: events[index].time)
                draft.subject = "NA-248-999"
                broken[index] = try Event.sign(
                    draft, id: events[index].id, seq: events[index].seq, prevHash: events[index].prevHash,
                    key: Fixture.reporterKey)
            }
            let broke = breaks(broken)
            #expect(broke, "change \(kind) at \(index) went unnoticed")
        }
    }

    /// Tampering with any stored event, or removing or reordering stored events, breaks the global chain.
    @Test func brokenGlobalChainsAreDetected() {
        var random = SplitMix64(seed: 6)
        let events = Self.signedChain(count: 10, seed: 7)
        var previous = GlobalChain.genesis
        let received = Timestamp(rfc3339: "2024-02-08T10:00:00Z")!
        let stored: [StoredEvent] = events.enumerated().map { offset, event in
            let item = StoredEvent(
                event: event, position: Int64(offset + 1), received: received.adding(seconds: Int64(offset)),
                previous: previous)
            previous = item.chain
            return item
        }
        func linked(_ log: [StoredEvent]) -> Bool {
            var previous = GlobalChain.genesis
            for (offset, item) in log.enumerated() {
                guard item.position == offset + 1, item.isLinked(after: previous) else { return false }
                previous = item.chain
            }
            return true
        }
        #expect(linked(stored))
        for _ in 0..<100 {
            var broken = stored
            let index = random.next(below: stored.count)
            let item = stored[index]
            switch random.next(below: 3) {
            case 0:
                broken.remove(at: index)
                if index == stored.count - 1 { continue }
            case 1:
                broken.swapAt(index, (index + 1) % stored.count)
            default:
                broken[index] = StoredEvent(
                    event: item.event, position: item.position, received: item.received.adding(seconds: 1),
                    chain: item.chain)
            }
            let stillLinked = linked(broken)
            #expect(!stillLinked)
        }
    }
}
