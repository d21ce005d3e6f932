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

    /// A reporter's key, its device id and the text of its enrollment and assignment as the server
    /// writes them.
    static let key = try! SigningKey(rawRepresentation: Array(repeating: 3, count: 32)).publicKey
    static let enrollment =
        #"{"device":"\#(key.deviceID.rawValue)","publicKey":"\#(key.base64URL)","#
        + #""reporter":"Sana Baloch (synthetic)","role":"reporter"}"#
    static let assignment =
        #"{"device":"\#(key.deviceID.rawValue)","stations":["NA-248-001","NA-248-017"],"#
        + #""constituencies":["NA-248","PS-125"]}"#

    static let opening = #"{"openedAt":"2024-02-08T08:05:00+05:00","materialsComplete":true,"staffPresent":false}"#
    static let closing = #"{"closedAt":"2024-02-08T17:00:00+05:00","votersInQueue":25}"#

    @Test(
        "openings, closings, enrollments and assignments written plainly are read without a tree",
        arguments: [
            (EventType.stationOpened, opening),
            (
                .stationOpened,
                #"{ "staffPresent" : true, "openedAt":"2024-02-08T08:00:00Z","materialsComplete":false }"#
            ),
            (.stationClosed, closing),
            (.stationClosed, #"{"closedAt":"2024-02-08T17:30:00.5+05:00"}"#),
            (.stationClosed, #"{"votersInQueue":0, "closedAt":"2024-02-08T17:00:00+05:00"}"#),
            (.deviceEnrolled, enrollment),
            (
                .deviceEnrolled,
                #"{"role": "editor", "reporter": "N", "publicKey": "\#(key.base64URL)", "#
                    + #""device": "\#(key.deviceID.rawValue)"}"#
            ),
            (.deviceAssigned, assignment),
            (
                .deviceAssigned,
                #"{"device": "\#(key.deviceID.rawValue)", "stations": [], "constituencies": [ "NA-1" ]}"#
            ),
            (.deviceAssigned, #"{"constituencies":[],"device":"\#(key.deviceID.rawValue)","stations":["NA-1-001"]}"#),
        ])
    func plainDevices(type: EventType, text: String) throws {
        let tree = try #require(Self.treeDecoded(type, text))
        let plain = try #require(Self.plain(type, text))
        #expect(plain == tree.payload)
        #expect(plain.jsonValue == tree.data)
        var written = [UInt8]()
        plain.writeCanonicalData(into: &written)
        #expect(String(decoding: written, as: UTF8.self) == CanonicalJSON.string(tree.data))
    }

    /// Openings, closings, enrollments and assignments changed so that the plain reader leaves them: to the
    /// tree, which accepts the first four (a name beyond ASCII, escapes) and refuses the others.
    static let changedTexts: [(EventType, String)] = {
        let (enrollment, assignment, device) = (Self.enrollment, Self.assignment, Self.key.deviceID.rawValue)
        var texts: [(EventType, String)] = [
            (.deviceEnrolled, enrollment.replacing("Sana", with: "Sanā")),
            (.deviceEnrolled, enrollment.replacing("Sana", with: #"S\u0061na"#)),
            (.deviceAssigned, assignment.replacing("NA-248-001", with: #"NA-248-0\u00301"#)),
            (.stationClosed, Self.closing.replacing("17:00", with: #"17\u003a00"#)),
        ]
        let openings: [(String, String)] = [
            ("true", #""true""#), ("false", "0"), (#","staffPresent":false"#, ""), ("}", #","staffPresent":true}"#),
            ("2024-02-08T08:05:00+05:00", "8 February"), ("}", #","queue":1}"#),
        ]
        texts += openings.map { (.stationOpened, Self.opening.replacing($0.0, with: $0.1)) }
        let closings: [(String, String)] = [
            ("25", "-1"), ("25", "2.5"), ("25", #""25""#), ("25", "true"),
            (#""closedAt":"2024-02-08T17:00:00+05:00","#, ""),
            ("}", #","votersInQueue":3}"#),
        ]
        texts += closings.map { (.stationClosed, Self.closing.replacing($0.0, with: $0.1)) }
        let enrollments: [(String, String)] = [
            ("reporter\"}", "pilot\"}"), ("Sana Baloch (synthetic)", ""),
            ("Sana", String(repeating: "S", count: 200)), (device, "server"), (device, "00000000000000000000"),
            (device, device.uppercased()), (key.base64URL, key.base64URL + "A"), (#","role":"reporter""#, ""),
            ("}", #","role":"reporter"}"#), ("}", #","station":"NA-248-001"}"#),
        ]
        texts += enrollments.map { (.deviceEnrolled, enrollment.replacing($0.0, with: $0.1)) }
        let assignments: [(String, String)] = [
            ("NA-248-017", "NA-248-001"), ("NA-248-017", "NA-248-17"), ("PS-125", "PS-0125"),
            (#""PS-125""#, "125"), (#","constituencies":["NA-248","PS-125"]"#, ""), ("]}", "],}"),
            (#""NA-248-017"]"#, #""NA-248-017",]"#), (#"["NA-248-001""#, #"[["NA-248-001"]"#),
            (#""stations":["#, #""stations":"#),
        ]
        texts += assignments.map { (.deviceAssigned, assignment.replacing($0.0, with: $0.1)) }
        let empty = assignment.replacing(#"["NA-248-001","NA-248-017"]"#, with: "[]")
            .replacing(#"["NA-248","PS-125"]"#, with: "[]")
        texts.append((.deviceAssigned, empty))
        return texts
    }()

    @Test(
        "openings, closings, enrollments and assignments it does not take are left to the tree",
        arguments: changedTexts.indices)
    func devicesLeftToTheTree(index: Int) {
        let (type, text) = Self.changedTexts[index]
        #expect(text != Self.enrollment && text != Self.assignment)
        let plain = Self.plain(type, text)
        #expect(plain == nil, "\(text)")
        if index < 4 {
            #expect(Self.treeDecoded(type, text) != nil, "\(text)")
        } else {
            #expect(Self.treeDecoded(type, text) == nil, "\(text)")
        }
    }

    /// Texts made by changing, inserting or removing bytes of a plain text of each kind the plain reader
    /// takes: it never gives a payload the tree decoder would not give, nor one written otherwise.
    @Test(arguments: [EventType.turnoutCounted, .stationOpened, .stationClosed, .deviceEnrolled, .deviceAssigned])
    func neverAcceptsWhatTheTreeRefusesOrReadsDifferently(type: EventType) {
        let (original, seed): (String, UInt64) =
            switch type {
            case .turnoutCounted: (#"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":120,"male":60,"female":55}"#, 16)
            case .stationOpened: (Self.opening, 19)
            case .stationClosed: (Self.closing, 20)
            case .deviceEnrolled: (Self.enrollment, 17)
            default: (Self.assignment, 18)
            }
        var random = SplitMix64(seed: seed)
        let bytes = Array(original.utf8)
        let alphabet = Array(#"{}[]":,-+.0123456789eE aAZdeflnrstuNPS\u"#.utf8) + [0x0a, 0x00, 0x7f, 0xc3, 0xa9]
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
            let plain = text.withUnsafeBufferPointer { Payload.plain(type: type, text: $0) }
            guard let plain else { continue }
            taken += 1
            let data = try? JSONParser.parse(text)
            #expect(data.flatMap { try? Payload.decode(type: type, data: $0) } == plain, "\(text)")
            #expect(data == plain.jsonValue)
            var written = [UInt8]()
            plain.writeCanonicalData(into: &written)
            #expect(data.map { CanonicalJSON.string($0) } == String(decoding: written, as: UTF8.self))
        }
        // Some changes keep a readable payload (another digit, a space, another name): those were read plainly.
        #expect(taken > 100, "\(taken)")
    }

    /// Enrollments and assignments made in code, with names beyond ASCII and long lists: their canonical
    /// data, written directly, is the canonical form of their tree.
    @Test func anEnrollmentsAndAnAssignmentsCanonicalDataIsTheirTreesCanonicalForm() throws {
        let names = ["Sana Baloch (synthetic)", "ثنا بلوچ", "A \"quoted\" name\\", "Émile\u{1F600}", "x"]
        for (index, name) in names.enumerated() {
            let key = try SigningKey(rawRepresentation: Array(repeating: UInt8(index + 1), count: 32)).publicKey
            for role in DeviceRole.allCases {
                let payload = Payload.deviceEnrolled(DeviceEnrollment(publicKey: key, reporter: name, role: role))
                var written = [UInt8]()
                payload.writeCanonicalData(into: &written)
                #expect(String(decoding: written, as: UTF8.self) == CanonicalJSON.string(payload.jsonValue))
            }
        }
        let stations = (1...300).map { StationCode("NA-248-" + String(String(1000 + $0).dropFirst()))! }
        for (stations, seats) in [([], ["NA-248"]), (stations, []), (Array(stations.prefix(2)), ["PS-125", "NA-1"])] {
            let payload = Payload.deviceAssigned(
                StationAssignment(
                    device: Self.key.deviceID, stations: stations, constituencies: seats.map { ConstituencyCode($0)! }))
            var written = [UInt8]()
            payload.writeCanonicalData(into: &written)
            #expect(String(decoding: written, as: UTF8.self) == CanonicalJSON.string(payload.jsonValue))
        }
    }

    @Test func otherTypesAreLeftToTheTree() {
        #expect(Self.plain(.agentsObserved, #"{"asOf":"2024-02-08T08:30:00+05:00"}"#) == nil)
        #expect(Self.plain(.stationDefined, #"{"code":"NA-248-001"}"#) == nil)
        #expect(Self.plain(.resultReported, #"{"asOf":"2024-02-08T10:00:00+05:00","votesCast":1}"#) == nil)
    }
}
