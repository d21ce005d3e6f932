import FieldSyncModel
import Testing

@testable import FieldSyncTally

/// Every kind of event of a messy polling day, read back from its stored text the way a rebuild reads it:
/// an event read plainly (no JSON tree) is the event the tree reading gives, and the kinds the plain
/// reader does not take are left to the tree.
@Suite("Plain reading of stored events")
struct PlainReadingTests {
    /// `value` written the way PostgreSQL writes `jsonb` as text: members ordered by the length of their
    /// names, then by their bytes; a space after each colon and comma.
    static func jsonbText(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            let names = object.keys.sorted { first, second in
                first.utf8.count != second.utf8.count
                    ? first.utf8.count < second.utf8.count
                    : first.utf8.lexicographicallyPrecedes(second.utf8)
            }
            let members = names.map { CanonicalJSON.string(.string($0)) + ": " + jsonbText(object[$0]!) }
            return "{" + members.joined(separator: ", ") + "}"
        case .array(let array):
            return "[" + array.map(jsonbText).joined(separator: ", ") + "]"
        default:
            return CanonicalJSON.string(value)
        }
    }

    static func readPlainly(_ event: Event, text: String) throws -> Event? {
        var text = text
        var scratch = [UInt8]()
        return try text.withUTF8 { text in
            try Event(
                storedID: event.id, device: event.device, seq: event.seq, writtenType: event.writtenType,
                time: event.time, subject: event.subject, plainData: text, prevHash: event.prevHash,
                signature: event.signature, storedHash: event.hash, scratch: &scratch)
        }
    }

    @Test("every kind of a messy day reads plainly as the tree reads it", arguments: [5, 41] as [UInt64])
    func messyDay(seed: UInt64) throws {
        let day = ElectionDay(
            demo: TallyFixtures.demo, nationalSeats: [ConstituencyCode("NA-235")!, ConstituencyCode("NA-236")!],
            options: .messy(seed: seed))
        var plainly = [EventType: Int]()
        var byTree = [EventType: Int]()
        for stored in day.syncOrder(seed: seed) {
            let event = stored.event
            for text in [Self.jsonbText(event.data), CanonicalJSON.string(event.data)] {
                if let read = try Self.readPlainly(event, text: text) {
                    #expect(read == event)
                    plainly[event.type, default: 0] += 1
                } else {
                    byTree[event.type, default: 0] += 1
                }
            }
        }
        let plainKinds: Set<EventType> = [.turnoutCounted, .stationOpened, .stationClosed, .deviceAssigned]
        #expect(Set(plainly.keys) == plainKinds)
        for kind in plainKinds { #expect(byTree[kind] == nil, "\(kind)") }
        #expect(byTree.keys.count >= 10, "\(byTree.keys)")
    }

    @Test func aChangedTextIsReportedNotRead() throws {
        let day = ElectionDay(
            demo: TallyFixtures.demo, nationalSeats: [ConstituencyCode("NA-235")!], options: .messy(seed: 2))
        let event = try #require(day.syncOrder(seed: 2).first { $0.event.type == .turnoutCounted }?.event)
        var data = try #require(event.data.objectValue)
        data["votesCast"] = .integer(try #require(data["votesCast"]?.integerValue) + 1)
        let error = #expect(throws: EventDecodingError.self) {
            try Self.readPlainly(event, text: Self.jsonbText(.object(data)))
        }
        #expect(error?.errors.first?.code == .hashMismatch)
    }
}
