import Testing

@testable import FieldSyncModel

/// The plain reader (``Payload/plain(type:text:)``) reads a subset of what the tree decoder reads, and
/// reads it the same: whenever it gives a payload, parsing the text and decoding the tree gives that
/// payload too, with the text's members as its `data`.
@Suite struct PlainPayloadTests {
    /// The tree decoder's answer for `text`: the payload and the parsed data, or nil if it refuses it.
    static func treeDecoded(_ type: EventType, _ text: String) -> (payload: Payload, data: JSONValue)? {
        guard let data = try? JSONParser.parse(text), let payload = try? Payload.decode(type: type, data: data)
        else { return nil }
        return (payload, data)
    }

    static func plain(_ type: EventType, _ text: String) -> Payload? {
        var text = text
        return text.withUTF8 { Payload.plain(type: type, text: $0) }
    }

    @Test(
        "turnout counts written plainly are read without a tree",
        arguments: [
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":120}"#,
            #"{"asOf": "2024-02-08T10:00:00+05:00", "male": 60, "female": 55, "votesCast": 120}"#,
            " \n{ \"votesCast\" :0,\t\"asOf\":\"2024-02-08T10:00:00Z\" } \r\n",
            #"{"asOf":"2024-02-08T10:00:00.5+05:00","votesCast":9007199254740991,"male":0}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":-0}"#,
        ])
    func plainTurnout(text: String) throws {
        let tree = try #require(Self.treeDecoded(.turnoutCounted, text))
        let plain = try #require(Self.plain(.turnoutCounted, text))
        #expect(plain == tree.payload)
        #expect(plain.jsonValue == tree.data)
    }

    /// A payload's canonical `data`, written directly for a turnout count, is the canonical form of its
    /// tree for every kind: what a stored event's hash is checked against.
    @Test func aPayloadsCanonicalDataIsItsTreesCanonicalForm() {
        var random = SplitMix64(seed: 45)
        var kinds = Set<EventType>()
        for _ in 0..<2_000 {
            let payload = RandomEvents.payload(random: &random)
            kinds.insert(payload.type)
            var written = [UInt8]()
            payload.writeCanonicalData(into: &written)
            #expect(String(decoding: written, as: UTF8.self) == CanonicalJSON.string(payload.jsonValue))
        }
        for (male, female) in [(nil, nil), (3, nil), (nil, 4), (3, 4), (0, 0)] as [(Int?, Int?)] {
            let count = TurnoutCount(
                asOf: ObservedTime("2024-02-08T10:00:00.25+05:00")!, votesCast: 9, male: male, female: female)
            var written = [UInt8]()
            Payload.turnoutCounted(count).writeCanonicalData(into: &written)
            #expect(String(decoding: written, as: UTF8.self) == CanonicalJSON.string(count.jsonValue))
        }
        #expect(kinds.contains(.turnoutCounted) && kinds.count >= 5, "\(kinds)")
    }

    @Test(
        "texts it does not take are left to the tree, which accepts or refuses them as before",
        arguments: [
            // The tree accepts this one: an escape.
            #"{"asOf":"2024-02-08T10:00:00\u002b05:00","votesCast":1}"#,
            // The tree refuses these.
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":-1}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":01}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1.0}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1e2}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":9007199254740992}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":"1"}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1,"votesCast":1}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1,"voters":1}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1,"male":1,"female":1}"#,
            #"{"asOf":"8 February","votesCast":1}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00"}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1,"male":null}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1} x"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1,}"#,
            #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1"#,
            #"["asOf","votesCast"]"#,
            "\u{FEFF}" + #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1}"#,
            "",
        ])
    func leftToTheTree(text: String) {
        let plain = Self.plain(.turnoutCounted, text)
        if let plain {
            #expect(plain == Self.treeDecoded(.turnoutCounted, text)?.payload)
        }
        if text.contains("\\u") {
            #expect(Self.treeDecoded(.turnoutCounted, text) != nil)
        } else {
            #expect(plain == nil)
            #expect(Self.treeDecoded(.turnoutCounted, text) == nil)
        }
    }

    /// Texts made by changing, inserting or removing bytes of plain turnout counts: the plain reader never
    /// gives a payload the tree decoder would not give.
    @Test func neverAcceptsWhatTheTreeRefusesOrReadsDifferently() {
        var random = SplitMix64(seed: 16)
        let bytes = Array(#"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":120,"male":60,"female":55}"#.utf8)
        let alphabet = Array(#"{}[]":,-+.0123456789eE aZ\u"#.utf8) + [0x0a, 0x00, 0x7f, 0xc3, 0xa9]
        var taken = 0
        for _ in 0..<20_000 {
            var text = bytes
            for _ in 0...random.next(below: 3) {
                let at = random.next(below: text.count)
                switch random.next(below: 3) {
                case 0: text[at] = random.pick(alphabet)
                case 1: text.insert(random.pick(alphabet), at: at)
                default: text.remove(at: at)
                }
            }
            let plain = text.withUnsafeBufferPointer { Payload.plain(type: .turnoutCounted, text: $0) }
            guard let plain else { continue }
            taken += 1
            let data = try? JSONParser.parse(text)
            #expect(data.flatMap { try? Payload.decode(type: .turnoutCounted, data: $0) } == plain, "\(text)")
            #expect(data == plain.jsonValue)
        }
        // Some changes keep a readable count (another digit, a space): those were read plainly.
        #expect(taken > 100)
    }

    @Test func otherTypesAreLeftToTheTree() {
        #expect(Self.plain(.stationClosed, #"{"closedAt":"2024-02-08T17:00:00+05:00"}"#) == nil)
        #expect(Self.plain(.resultReported, #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1}"#) == nil)
    }
}
