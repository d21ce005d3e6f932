import FieldSyncModel
import Foundation

/// An observation ready to be signed: its station, its time and its data.
public struct ObservationDraft: Sendable, Hashable {
    public var station: StationCode
    public var time: ObservedTime
    public var payload: Payload

    public var eventDraft: EventDraft {
        EventDraft(payload: payload, subject: station.rawValue, time: time)
    }
}

/// Turns what the reporter typed (``RecordOptions``) into an observation, collecting every problem
/// rather than stopping at the first. Pure: no I/O, no clock but the context's.
///
/// The checks here are about reading what was typed (numbers, times, choices, codes) and finding the
/// station; the rules of the election are left to ``EventValidator``, which runs on the signed event
/// exactly as the server will (see ``Recorder``).
public struct ObservationBuilder {
    let context: RecordContext
    var problems: [RecordProblem] = []

    init(context: RecordContext) {
        self.context = context
    }

    /// The observation `options` describe. When `base` is given (a correction), whatever is not typed
    /// is taken from it, and the station is fixed to `station`.
    public static func build(
        _ kind: ObservationKind, _ options: RecordOptions, context: RecordContext, base: Payload? = nil,
        station fixedStation: StationCode? = nil
    ) -> Result<ObservationDraft, RecordProblems> {
        var builder = ObservationBuilder(context: context)
        let station = builder.station(options.station, fixed: fixedStation)
        let time = builder.eventTime(options.time)
        var payload: Payload?
        switch kind {
        case .opened: payload = builder.opened(options, base: base, time: time)
        case .closed: payload = builder.closed(options, base: base, time: time)
        case .agents: payload = builder.agents(options, base: base, station: station)
        case .turnout: payload = builder.turnout(options, base: base, time: time)
        case .incident: payload = builder.incident(options, base: base)
        case .result: payload = builder.result(options, base: base, station: station)
        }
        guard let station, let time, let payload, builder.problems.isEmpty else {
            return .failure(RecordProblems(builder.problems))
        }
        return .success(ObservationDraft(station: station.code, time: time, payload: payload))
    }

    // MARK: Station and times

    /// The station: as typed (case and missing leading zeros forgiven), else the last one used.
    mutating func station(_ typed: String?, fixed: StationCode?) -> PollingStation? {
        let stationAllowed = "a polling station code such as NA-235-001"
        if let fixed {
            if let typed, Self.stationCode(typed) != fixed {
                fail(
                    "--station", "a correction is about the station of the event it corrects, \(fixed)",
                    allowed: fixed.rawValue)
            }
            return knownStation(fixed, typed: fixed.rawValue)
        }
        guard let typed else {
            guard let last = context.lastStation else {
                fail("--station", "no station yet: give it the first time", allowed: stationAllowed)
                return nil
            }
            return knownStation(last, typed: last.rawValue)
        }
        guard let code = Self.stationCode(typed) else {
            fail(
                "--station", "\"\(typed)\" is not a station code", allowed: stationAllowed,
                suggestions: Suggestions.nearest(
                    to: typed, among: context.reference.stations.keys.map(\.rawValue).sorted()))
            return nil
        }
        return knownStation(code, typed: typed)
    }

    private mutating func knownStation(_ code: StationCode, typed: String) -> PollingStation? {
        if let station = context.reference.stations[code] { return station }
        let codes = context.reference.stations.keys.map(\.rawValue).sorted()
        fail(
            "--station", "\(code) is not a polling station of this election",
            allowed: codes.isEmpty
                ? "none yet: run `fieldsync sync` to fetch the reference data" : "a station code such as \(codes[0])",
            suggestions: Suggestions.nearest(to: code.rawValue, among: codes))
        return nil
    }

    /// A station code as typed, forgiving lowercase and short station numbers (`na-235-1`).
    static func stationCode(_ typed: String) -> StationCode? {
        let text = typed.trimmingCharacters(in: .whitespaces).uppercased()
        if let code = StationCode(text) { return code }
        guard let dash = text.lastIndex(of: "-"), let national = ConstituencyCode(text[..<dash]),
            national.assembly == .national, let number = Int(text[text.index(after: dash)...]),
            (0...9999).contains(number), text[text.index(after: dash)...].allSatisfy(\.isASCIIDigit)
        else { return nil }
        return StationCode(national: national, number: number)
    }

    /// The observation's time: as typed, else now.
    mutating func eventTime(_ typed: String?) -> ObservedTime? {
        let now = ObservedTime(context.now, offsetMinutes: context.calendar.localOffsetMinutes)
        guard let typed else { return now }
        return time(typed, field: "--time", default: now)
    }

    /// A time option: as typed, else `fallback`.
    mutating func time(_ typed: String?, field: String, default fallback: ObservedTime?) -> ObservedTime? {
        guard let typed else { return fallback }
        guard let time = ReporterTime.parse(typed, calendar: context.calendar, now: context.now) else {
            fail(field, "\"\(typed)\" is not a time", allowed: ReporterTime.allowed)
            return nil
        }
        return time
    }

    // MARK: Values

    /// A count (0 or more; `1,234` allowed), required unless `fallback` is given.
    mutating func count(_ typed: String?, field: String, default fallback: Int?, allowed: String) -> Int? {
        guard let typed else {
            if fallback == nil { fail(field, "missing", allowed: allowed) }
            return fallback
        }
        let digits = typed.filter { $0 != "," && $0 != "_" }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit), digits.count <= 15, let value = Int(digits) else {
            fail(field, "\"\(typed)\" is not a count", allowed: allowed)
            return nil
        }
        return value
    }

    /// One of a closed list of words, case forgiven; required unless `fallback` is given.
    mutating func choice<T>(
        _ typed: String?, field: String, _ choices: KeyValuePairs<String, T>, default fallback: T?
    ) -> T? {
        let names = choices.map(\.key)
        guard let typed else {
            if fallback == nil { fail(field, "missing", allowed: RecordProblem.list(names)) }
            return fallback
        }
        if let match = choices.first(where: { $0.key == typed.lowercased() }) { return match.value }
        fail(
            field, "\"\(typed)\" is not one of the choices", allowed: RecordProblem.list(names),
            suggestions: Suggestions.nearest(to: typed, among: names, limit: 1))
        return nil
    }

    /// No values are expected after this kind.
    mutating func noValues(_ options: RecordOptions, kind: ObservationKind, optionsList: String) {
        for value in options.values {
            fail(value, "unexpected value: `record \(kind.rawValue)` takes only options", allowed: optionsList)
        }
    }

    mutating func fail(_ field: String, _ problem: String, allowed: String, suggestions: [String] = []) {
        problems.append(RecordProblem(field, problem, allowed: allowed, suggestions: suggestions))
    }

    /// `NAME=VALUE` pairs, in order.
    mutating func pairs(_ values: [String], shape: String, allowed: String) -> [(String, String)] {
        var pairs = [(String, String)]()
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                fail(value, "not \(shape)", allowed: allowed)
                continue
            }
            pairs.append(
                (
                    String(parts[0]).trimmingCharacters(in: .whitespaces),
                    String(parts[1]).trimmingCharacters(in: .whitespaces)
                ))
        }
        return pairs
    }
}
