import FieldSyncModel

/// The commission's Form-45s at a station against the field's reports.
extension StationDerivation {
    /// Per seat with an official Form-45 (in seat order): the import that stands, compared with each report
    /// of the seat's result (the admitted devices' effective Form-45s).
    func official(_ contests: [ContestResult]) -> [OfficialStationResult] {
        guard !facts.official.isEmpty else { return [] }
        var bySeat = [ConstituencyCode: [OfficialRecord]]()
        for record in facts.official.values where record.result.form == .form45 {
            bySeat[record.result.constituency, default: []].append(record)
        }
        return bySeat.keys.sorted().map { seat in
            let reports = contests.first { $0.constituency == seat }?.reports ?? []
            return OfficialStationResult(bySeat[seat]!, comparedWith: reports)
        }
    }

    /// `official-differs-from-field` for each field report that differs from the official Form-45 of its
    /// seat; `official-for-refused-station` for each official Form-45 at a station where the field reported
    /// the Form-45 refused.
    func flagOfficial(_ official: [OfficialStationResult], incidents: [IncidentReport], into flags: inout [TallyFlag]) {
        let refusals = incidents.filter { $0.incident.kind == .form45Refused }
        for result in official {
            for report in result.reports where !report.isEqual {
                flags.append(
                    TallyFlag(
                        code: .officialDiffersFromField, scope: .station(code),
                        message: "the official Form-45 for \(result.constituency) differs from device "
                            + "\(report.device)'s: \(report.summary)",
                        events: [result.event] + report.events))
            }
            if !refusals.isEmpty {
                flags.append(
                    TallyFlag(
                        code: .officialForRefusedStation, scope: .station(code),
                        message: "an official Form-45 for \(result.constituency) was published for a station where "
                            + "the Form-45 was refused to \(refusals.count == 1 ? "1 reporter" : "\(refusals.count) reporters")",
                        events: [result.event] + refusals.flatMap(\.events)))
            }
        }
    }
}

extension OfficialComparison {
    /// `NA-248-C02 +9, rejected -1, total +8`: field minus official, candidates in canonical order, only what
    /// differs.
    var summary: String {
        Self.summary(
            differences.keys.sorted(by: CandidateWriting.canonicalOrder).map { ($0.rawValue, differences[$0]!) },
            rejected: rejected, totalCast: totalCast)
    }

    /// `NA-248-C02 +9, rejected -1, total +8` from differences already in order.
    static func summary(_ candidates: [(String, Int)], rejected: Int, totalCast: Int) -> String {
        func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : "\(value)" }
        var parts = candidates.map { "\($0.0) \(signed($0.1))" }
        if rejected != 0 { parts.append("rejected \(signed(rejected))") }
        if totalCast != 0 { parts.append("total \(signed(totalCast))") }
        return parts.joined(separator: ", ")
    }
}
