/// The commission's figures in a CSV file (RFC 4180, UTF-8, a header row), read into one
/// ``OfficialResult`` per station and seat (Form-45) or per seat (Form-47, 49). Pure: bytes and the
/// reference data in, results or every problem (with its line and field) out; a file with any problem
/// gives no result at all.
///
/// The layout, one row per figure:
///
/// - Form-45: `station,constituency,candidate,votes`
/// - Form-47 and 49: `constituency,candidate,votes`
///
/// `candidate` is a candidate id standing in the seat, or the word `rejected` (the rejected ballots) or
/// `total` (all ballots cast). Each station and seat (Form-45) or seat has one row for every candidate
/// standing, one `rejected` row and one `total` row, which must be the votes plus the rejected ballots.
public struct OfficialFile: Sendable {
    public var form: OfficialResult.Form
    public var reference: ReferenceData

    public init(form: OfficialResult.Form, reference: ReferenceData) {
        self.form = form
        self.reference = reference
    }

    /// The header the form's layout has.
    public static func columns(_ form: OfficialResult.Form) -> [String] {
        (form.isStation ? ["station"] : []) + ["constituency", "candidate", "votes"]
    }

    /// The word of the `candidate` column for the rejected ballots.
    public static let rejectedRow = "rejected"
    /// The word of the `candidate` column for all ballots cast.
    public static let totalRow = "total"

    /// The results of `bytes`, in the order of their first rows, each naming `fileSha256` (the file's hash),
    /// `sourceURL` and `editor`; throws every problem found.
    public func results(
        _ bytes: [UInt8], sourceURL: String?, editor: DeviceID
    ) throws(CSVProblems) -> [OfficialResult] {
        let table = try CSVReader(trimsSpaces: true).table(utf8: bytes)
        let columns = Self.columns(form)
        guard table.header.map({ $0.lowercased() }) == columns else {
            throw CSVProblems([
                CSVProblem(
                    line: 1, field: nil, "the header is \"\(table.header.joined(separator: ","))\"",
                    allowed: "\"\(columns.joined(separator: ","))\" for a \(form.name)")
            ])
        }
        var reading = Reading(file: self)
        for row in table.rows { reading.read(row) }
        let results = reading.finish(fileSha256: SHA256Digest.hash(bytes), sourceURL: sourceURL, editor: editor)
        guard reading.problems.isEmpty else { throw CSVProblems(reading.problems) }
        if results.isEmpty {
            throw CSVProblems([CSVProblem(line: 2, field: nil, "no figures", allowed: "a row per figure")])
        }
        return results
    }
}

/// One pass over a file's rows: the figures gathered per station and seat, and the problems.
private struct Reading {
    let file: OfficialFile
    var groups: [OfficialResult.Key: Group] = [:]
    var problems = [CSVProblem]()

    init(file: OfficialFile) {
        self.file = file
    }

    /// The figures of one station and seat (or one seat), and the line each came from.
    struct Group {
        var firstLine: Int
        var votes: [CandidateID: Int] = [:]
        var rejected: Int?
        var total: Int?
        var totalLine: Int?
        /// The line of each figure read, by the text of its `candidate` field.
        var lines: [String: Int] = [:]
    }

    var form: OfficialResult.Form { file.form }

    mutating func fail(_ record: CSVRecord, _ column: Int?, _ problem: String, allowed: String) {
        problems.append(CSVProblem(line: record.line, field: column.map { $0 + 1 }, problem, allowed: allowed))
    }

    mutating func read(_ record: CSVRecord) {
        let offset = form.isStation ? 1 : 0
        let fields = record.fields
        var station: PollingStation?
        var stationCode: StationCode?
        if form.isStation {
            guard let code = StationCode(fields[0]) else {
                return fail(record, 0, "\"\(fields[0])\" is not a station code", allowed: StationCode.allowed)
            }
            guard let known = file.reference.stations[code] else {
                return fail(
                    record, 0, "station \(code) is not known", allowed: "a station defined in the reference data")
            }
            station = known
            stationCode = code
        }
        guard let seat = ConstituencyCode(fields[offset]) else {
            return fail(record, offset, "\"\(fields[offset])\" is not a seat", allowed: ConstituencyCode.allowed)
        }
        if let station, !station.constituencies.contains(seat) {
            return fail(
                record, offset, "\(seat) is not a seat of station \(station.code)",
                allowed: station.seatsListed)
        }
        guard file.reference.constituencies[seat] != nil else {
            return fail(record, offset, "seat \(seat) is not known", allowed: "a seat defined in the reference data")
        }
        let name = fields[offset + 1]
        let word = name.lowercased()
        let standing = file.reference.candidatesByConstituency[seat] ?? []
        let candidate = CandidateID(name)
        if word != OfficialFile.rejectedRow && word != OfficialFile.totalRow {
            guard let candidate, file.reference.candidates[candidate] != nil else {
                return fail(
                    record, offset + 1, "\"\(name)\" is not a known candidate",
                    allowed: "a candidate standing in \(seat), \"rejected\" or \"total\"")
            }
            guard standing.contains(candidate) else {
                return fail(
                    record, offset + 1, "\(candidate) does not stand in \(seat)",
                    allowed: "a candidate standing in \(seat), \"rejected\" or \"total\"")
            }
        }
        guard let count = Int(fields[offset + 2]), count >= 0, count <= 9_007_199_254_740_991 else {
            return fail(record, offset + 2, "\"\(fields[offset + 2])\" is not a count", allowed: CountRule.allowed)
        }
        let key = OfficialResult.Key(form: form, constituency: seat, station: stationCode)
        var group = groups[key] ?? Group(firstLine: record.line)
        let label = candidate?.rawValue ?? word
        if let earlier = group.lines[label] {
            return fail(
                record, offset + 1, "a second row for \(label) at \(stationCode?.rawValue ?? seat.rawValue)",
                allowed: "one row per figure (the first is on line \(earlier))")
        }
        group.lines[label] = record.line
        switch (word, candidate) {
        case (OfficialFile.rejectedRow, _): group.rejected = count
        case (OfficialFile.totalRow, _):
            group.total = count
            group.totalLine = record.line
        case (_, let candidate?): group.votes[candidate] = count
        default: break
        }
        groups[key] = group
    }

    /// The results of the groups read, checking each is complete and adds up.
    mutating func finish(fileSha256: SHA256Digest, sourceURL: String?, editor: DeviceID) -> [OfficialResult] {
        var results = [OfficialResult]()
        let validator = EventValidator(reference: file.reference)
        for (key, group) in groups.sorted(by: { $0.value.firstLine < $1.value.firstLine }) {
            let place = key.station.map { "\($0) for \(key.constituency)" } ?? key.constituency.rawValue
            let standing = file.reference.candidatesByConstituency[key.constituency] ?? []
            let missing =
                standing.filter { group.votes[$0] == nil }.map(\.rawValue)
                + (group.rejected == nil ? [OfficialFile.rejectedRow] : [])
                + (group.total == nil ? [OfficialFile.totalRow] : [])
            if !missing.isEmpty {
                problems.append(
                    CSVProblem(
                        line: group.firstLine, field: nil,
                        "\(place) has no row for \(missing.joined(separator: ", "))",
                        allowed: "a row for every candidate standing in \(key.constituency), \"rejected\" and \"total\""
                    ))
                continue
            }
            guard let rejected = group.rejected, let total = group.total else { continue }
            let sum = group.votes.values.reduce(0, +) + rejected
            if sum != total {
                problems.append(
                    CSVProblem(
                        line: group.totalLine ?? group.firstLine, field: form.isStation ? 4 : 3,
                        "the total \(total) of \(place) is not the candidates' votes plus rejected, \(sum)",
                        allowed: "the sum of the candidates' votes and the rejected ballots"))
                continue
            }
            let result = OfficialResult(
                form: form, constituency: key.constituency, station: key.station, votes: group.votes,
                rejected: rejected, totalCast: total, sourceURL: sourceURL, fileSha256: fileSha256, editor: editor)
            // What the rows cannot show (more ballots than registered voters): the event's own rules.
            for error in validator.validate(reference: .officialPublished(result)) where error.field != "data.editor" {
                problems.append(
                    CSVProblem(
                        line: group.totalLine ?? group.firstLine, field: nil, "\(place): \(error.problem)",
                        allowed: error.allowed))
            }
            results.append(result)
        }
        return results.sorted {
            ($0.station?.rawValue ?? "", $0.constituency.rawValue) < (
                $1.station?.rawValue ?? "", $1.constituency.rawValue
            )
        }
    }
}
