import FieldSyncModel

/// How figures of tally documents read on a terminal: counts with thousands separators, basis points as
/// percentages, candidates with their party, absent values as `—`.
public enum TallyText {
    /// `12,345`; `—` for nil.
    public static func count(_ value: Int64?) -> String {
        guard let value else { return "—" }
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    public static func count(_ value: JSONValue?) -> String {
        count(value?.integerValue)
    }

    /// `48.23%` for 4823 basis points; `—` for nil.
    public static func percent(_ basisPoints: Int64?) -> String {
        guard let basisPoints else { return "—" }
        let whole = basisPoints / 100
        let fraction = basisPoints % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }

    public static func percent(_ value: JSONValue?) -> String {
        percent(value?.integerValue)
    }

    /// A candidate's party as an editor reads it: the party code, `IND` for an independent, `IND (PTI)`
    /// for an independent backed by PTI, `?` for a candidate the reference data does not define.
    public static func party(of candidate: JSONValue?) -> String {
        if let party = candidate?["party"]?.stringValue, candidate?["independent"]?.boolValue != true {
            return party
        }
        guard candidate?["independent"]?.boolValue == true else { return "?" }
        if let backer = candidate?["backedBy"]?.stringValue { return "IND (\(backer))" }
        return "IND"
    }

    /// `Name (PARTY)` in at most `limit` characters, cutting the name rather than the party.
    public static func nameWithParty(_ candidate: JSONValue?, limit: Int) -> String {
        guard let candidate else { return "—" }
        let name = candidate["name"]?.stringValue ?? candidate["candidate"]?.stringValue ?? "?"
        let party = " (" + party(of: candidate) + ")"
        return TextTable.cut(name, to: max(4, limit - party.count)) + party
    }

    /// Where a tally answer stands: `position 1,234 (live)`, `as of position 900`, `as observed by …`.
    public static func standing(_ answer: JSONValue) -> String {
        let position = "position " + count(answer["position"])
        switch answer["asOf"] {
        case .object(let cutoff)? where cutoff["position"] != nil:
            return "as of position \(count(cutoff["position"]))"
        case .object(let cutoff)? where cutoff["time"] != nil:
            return "as observed by \(cutoff["time"]?.stringValue ?? "?") (events up to \(position))"
        default:
            return position + " (live)"
        }
    }

    /// A device id shortened for a table: its first 8 hex digits.
    public static func device(_ id: String?) -> String {
        guard let id else { return "—" }
        return id == "server" ? id : String(id.prefix(8))
    }

    /// A flag on one line: `code: message`.
    public static func flag(_ flag: JSONValue) -> String {
        (flag["code"]?.stringValue ?? "?") + ": " + (flag["message"]?.stringValue ?? "")
    }

    /// `12 form45-totals-mismatch, 3 turnout-over-100` from `{code: count}`; `none` when empty.
    public static func flagCounts(_ counts: JSONValue?) -> String {
        let object = counts?.objectValue ?? [:]
        guard !object.isEmpty else { return "none" }
        return object.keys.sorted().map { "\(count(object[$0])) \($0)" }.joined(separator: ", ")
    }
}
