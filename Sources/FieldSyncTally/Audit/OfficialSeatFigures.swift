import FieldSyncModel

/// A seat's official figures against the field, read from `GET /v1/tallies/{seat}`: per candidate the standing
/// Form-49 and Form-47, the field's counted sum and the sum of the stations' official Form-45s, with the
/// differences from the official figures; then each form's import and the seat's official flags. The part of
/// `fieldsync tally SEAT --official` printed before the station listing (``OfficialDifferences``). Pure: JSON
/// in, lines out.
public struct OfficialSeatFigures: Sendable {
    /// The seat document's `official` (PROTOCOL.md §13); nil when the seat has none.
    public var official: JSONValue?
    public var document: JSONValue?

    /// The seat figures in `answer`, the API's answer for one seat.
    public init(_ answer: JSONValue) {
        document = answer["constituency"]
        let official = document?["official"]
        self.official = official == .null ? nil : official
    }

    /// The lines `fieldsync tally SEAT --official` prints before the station listing.
    public var lines: [String] {
        let seat = document?["constituency"]?.stringValue ?? "?"
        guard let official else { return ["\(seat): no official Form-47, Form-49 or Form-45 imported"] }
        let stations = document?["stations"]
        let counted = stations?["counted"]?.integerValue ?? 0
        let total = stations?["total"]?.integerValue ?? 0
        let forms = ["49", "47"].compactMap { form in
            official["form" + form].flatMap { $0 == .null ? nil : (form, $0) }
        }
        let sum = official["form45"]
        let standing = official["standing"]?.stringValue
        var lines = [
            "\(seat): official figures — "
                + (standing.map { "the standing ones are the Form-\($0)\($0 == "45" ? "s summed" : "")" }
                    ?? "none stand yet (no Form-47 or 49, not every station has a Form-45)")
                + (official["leader"]?.stringValue.map { ", official leader \($0)" } ?? "")
                + (document?["lead"]?["leader"]?.stringValue.map { "; the field's leader \($0)" } ?? "")
        ]
        var columns = [TextTable.Column("candidate")]
        for (form, _) in forms {
            columns += [TextTable.Column("Form-\(form)", .right)]
        }
        columns += [TextTable.Column("field \(counted)/\(total)", .right)]
        if let (form, _) = forms.first { columns += [TextTable.Column("field−\(form)", .right)] }
        let sumStations = sum?["stations"]?.integerValue ?? 0
        columns += [TextTable.Column("Form-45s \(sumStations)/\(total)", .right)]
        if let (form, _) = forms.first, sumStations > 0 { columns += [TextTable.Column("45s−\(form)", .right)] }
        var table = TextTable(columns)
        let fieldVotes = (document?["candidates"]?.arrayValue ?? []).map {
            ($0["candidate"]?.stringValue ?? "?", $0["votes"]?.integerValue ?? 0)
        }
        func signed(_ value: Int64) -> String { value > 0 ? "+\(value)" : "\(value)" }
        func row(_ label: String, _ key: String?, field: Int64) {
            func figure(_ object: JSONValue?) -> Int64 {
                guard let object else { return 0 }
                return key.map { object["votes"]?[$0]?.integerValue ?? 0 } ?? (object[label]?.integerValue ?? 0)
            }
            var cells = [key ?? label]
            for (_, form) in forms { cells.append("\(figure(form))") }
            cells.append("\(field)")
            if let (_, form) = forms.first { cells.append(signed(field - figure(form))) }
            cells.append("\(figure(sum))")
            if let (_, form) = forms.first, sumStations > 0 { cells.append(signed(figure(sum) - figure(form))) }
            table.add(cells)
        }
        for (candidate, votes) in fieldVotes { row("votes", candidate, field: votes) }
        row("rejected", nil, field: document?["rejected"]?.integerValue ?? 0)
        row("totalCast", nil, field: document?["totalCast"]?.integerValue ?? 0)
        lines += table.lines.map { "  " + $0 }
        for (form, figures) in forms {
            let superseded = figures["superseded"]?.arrayValue?.count ?? 0
            lines.append(
                "  Form-\(form): event \(figures["event"]?.stringValue ?? "?"), file SHA-256 "
                    + "\(figures["fileSha256"]?.stringValue ?? "?"), source "
                    + (figures["sourceUrl"]?.stringValue ?? "not given")
                    + (superseded > 0 ? "; \(superseded) earlier import\(superseded == 1 ? "" : "s") superseded" : ""))
        }
        let flags = (document?["flags"]?.arrayValue ?? []).filter {
            ["field-changes-winner", "official-exceeds-stations"].contains($0["code"]?.stringValue ?? "")
        }
        for flag in flags {
            lines.append("  \(flag["code"]?.stringValue ?? "?"): \(flag["message"]?.stringValue ?? "")")
        }
        return lines
    }
}
