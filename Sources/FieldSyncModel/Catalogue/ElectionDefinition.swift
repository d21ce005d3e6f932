/// `fieldsync.election.defined.v1`: the election a log is about — its name, its calendar and the
/// assemblies it elects. Subject: the election's id. Observations are checked against its calendar
/// (PROTOCOL.md §10.2); a log without one accepts no observation.
public struct ElectionDefinition: ReadablePayload {
    public static let eventType = EventType.electionDefined

    /// Such as `karachi-2024`: 1 to 64 lowercase ASCII letters, digits and hyphens, starting with a letter.
    public var id: String
    /// Such as "Pakistan general election 2024, Karachi".
    public var name: String
    /// The local time of the election, as an offset from UTC in minutes (+05:00 is 300).
    public var utcOffsetMinutes: Int
    public var pollingOpens: ObservedTime
    public var pollingCloses: ObservedTime
    public var observationsFrom: ObservedTime
    public var observationsUntil: ObservedTime
    public var correctionsUntil: ObservedTime
    /// The name of each assembly the election elects members to, by its seats' prefix, such as
    /// `NA`: "National Assembly". The National Assembly is always one of them.
    public var assemblies: [SeatPrefix: String]
    /// Seats of these assemblies not polled on the day (a candidate died, say): no station reports for
    /// them and none is missing. Optional in JSON, default none.
    public var postponed: Set<ConstituencyCode>
    /// Whether anything here is invented (demo data). Optional in JSON, default false.
    public var synthetic: Bool

    /// The most seats a definition may list as postponed.
    static let maximumPostponed = 1000
    static let idAllowed = "1 to 64 lowercase ASCII letters, digits and hyphens, starting with a letter"
    static let offsetAllowed = "an offset from UTC, +HH:MM or -HH:MM, from -14:00 to +14:00"

    public init(
        id: String, name: String, utcOffsetMinutes: Int, pollingOpens: ObservedTime, pollingCloses: ObservedTime,
        observationsFrom: ObservedTime, observationsUntil: ObservedTime, correctionsUntil: ObservedTime,
        assemblies: [SeatPrefix: String], postponed: Set<ConstituencyCode> = [], synthetic: Bool = false
    ) {
        self.id = id
        self.name = name
        self.utcOffsetMinutes = utcOffsetMinutes
        self.pollingOpens = pollingOpens
        self.pollingCloses = pollingCloses
        self.observationsFrom = observationsFrom
        self.observationsUntil = observationsUntil
        self.correctionsUntil = correctionsUntil
        self.assemblies = assemblies
        self.postponed = postponed
        self.synthetic = synthetic
    }

    /// When observations may be made, for the checks of PROTOCOL.md §10.2.
    public var calendar: ElectionCalendar {
        ElectionCalendar(
            pollingOpens: pollingOpens.instant, pollingCloses: pollingCloses.instant,
            observationsFrom: observationsFrom.instant, observationsUntil: observationsUntil.instant,
            correctionsUntil: correctionsUntil.instant, localOffsetMinutes: utcOffsetMinutes)
    }

    /// Whether `id` is a well-formed election id.
    public static func isValidID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count), bytes[0].isASCIILowercase else { return false }
        return bytes.allSatisfy { $0.isASCIILowercase || $0.isASCIIDigit || $0 == UInt8(ascii: "-") }
    }

    /// `+05:00` as 300; nil unless `±HH:MM` within ±14:00.
    static func offsetMinutes(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
            bytes[3] == UInt8(ascii: ":"),
            let hours = CodeDigits.parse(bytes[1..<3], minDigits: 2, maxDigits: 2, leadingZeros: true),
            let minutes = CodeDigits.parse(bytes[4..<6], minDigits: 2, maxDigits: 2, leadingZeros: true),
            minutes < 60, hours * 60 + minutes <= 14 * 60
        else { return nil }
        return (bytes[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
    }

    /// 300 as `+05:00`.
    static func offsetText(_ minutes: Int) -> String {
        (minutes < 0 ? "-" : "+") + CodeDigits.padded(abs(minutes) / 60, width: 2) + ":"
            + CodeDigits.padded(abs(minutes) % 60, width: 2)
    }

    init?(reading reader: inout ObjectReader) {
        let id = reader.parsed("id", allowed: Self.idAllowed) { Self.isValidID($0) ? $0 : nil }
        let name = reader.text("name", maxLength: TextLimit.name)
        let offset = reader.parsed("utcOffset", allowed: Self.offsetAllowed, Self.offsetMinutes)
        let opens = reader.time("pollingOpens")
        let closes = reader.time("pollingCloses")
        let from = reader.time("observationsFrom")
        let until = reader.time("observationsUntil")
        let corrections = reader.time("correctionsUntil")
        let assemblies: [SeatPrefix: String]? = reader.object("assemblies") { nested in
            var names = [SeatPrefix: String]()
            for prefix in SeatPrefix.allCases {
                if let name = nested.text(prefix.rawValue, maxLength: TextLimit.name, required: prefix == .na) {
                    names[prefix] = name
                }
            }
            return names
        }
        let postponed =
            reader.list(
                "postponed", maximumCount: Self.maximumPostponed, required: false, allowed: ConstituencyCode.allowed
            ) { ConstituencyCode($0) } ?? []
        if let assemblies, let stray = postponed.sorted().first(where: { assemblies[$0.prefix] == nil }) {
            reader.fail(
                "postponed", .notAllowed, "\(stray) is a seat of an assembly the election does not elect",
                allowed: "seats of " + assemblies.keys.sorted().map(\.rawValue).joined(separator: ", "))
        }
        let synthetic = reader.bool("synthetic", required: false) ?? false
        func order(_ earlier: ObservedTime?, _ later: ObservedTime?, _ name: String, _ rule: String) {
            guard let earlier, let later, later.instant < earlier.instant else { return }
            reader.fail(name, .outOfRange, "\(later) is before \(earlier)", allowed: rule)
        }
        order(opens, closes, "pollingCloses", "a time after pollingOpens")
        order(from, opens, "pollingOpens", "a time no earlier than observationsFrom")
        order(closes, until, "observationsUntil", "a time no earlier than pollingCloses")
        order(until, corrections, "correctionsUntil", "a time no earlier than observationsUntil")
        guard let id, let name, let offset, let opens, let closes, let from, let until, let corrections, let assemblies,
            reader.errors.isEmpty
        else { return nil }
        self.init(
            id: id, name: name, utcOffsetMinutes: offset, pollingOpens: opens, pollingCloses: closes,
            observationsFrom: from, observationsUntil: until, correctionsUntil: corrections, assemblies: assemblies,
            postponed: Set(postponed), synthetic: synthetic)
    }

    /// `postponed` is written only when there are any, in code order.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "utcOffset": .string(Self.offsetText(utcOffsetMinutes)),
            "pollingOpens": .string(pollingOpens.text), "pollingCloses": .string(pollingCloses.text),
            "observationsFrom": .string(observationsFrom.text), "observationsUntil": .string(observationsUntil.text),
            "correctionsUntil": .string(correctionsUntil.text),
            "assemblies": .object(
                Dictionary(uniqueKeysWithValues: assemblies.map { ($0.key.rawValue, .string($0.value)) })),
            "synthetic": .bool(synthetic),
        ]
        if !postponed.isEmpty { object["postponed"] = .array(postponed.sorted().map { .string($0.rawValue) }) }
        return .object(object)
    }
}
