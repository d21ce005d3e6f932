import FieldSyncModel

/// A Form-45 typed into a small CSV file, one row per candidate: `CANDIDATE,VOTES` (`NA-235-C01,210`, or
/// `C01,210` with the seat given apart), and optionally `rejected,N`, `total,N`, `registered,N`.
///
/// Read as RFC 4180 CSV (``CSVReader``): fields may be quoted (`"NA-235-C01","210"`), lines end in CRLF or
/// LF, a byte order mark is dropped. Besides, as spreadsheets and people write it: `;` or a tab may stand
/// for the comma, spaces around fields are dropped, empty fields at the end of a row are ignored, and a
/// header row (`candidate,votes`), blank lines and `#` comments are skipped. Pure.
public struct Form45CSV: Sendable, Hashable {
    /// One candidate's row.
    public struct Row: Sendable, Hashable {
        public var candidate: String
        public var votes: String
        /// Its line in the file, from 1.
        public var line: Int
    }

    /// The candidates' rows, in the file's order.
    public var votes: [Row] = []
    public var rejected: String?
    public var total: String?
    public var registered: String?

    static let reader = CSVReader(separators: [",", ";", "\t"], trimsSpaces: true, commentPrefix: "#")

    /// Reads the rows; a problem of the CSV itself, or a row that is not two fields, names the file and line.
    public static func parse(_ text: String, name: String) -> Result<Form45CSV, RecordProblems> {
        let records: [CSVRecord]
        do {
            records = try reader.records(text)
        } catch {
            return .failure(
                RecordProblems(
                    error.problems.map { RecordProblem("\(name) \($0.place)", $0.problem, allowed: $0.allowed) }))
        }
        var csv = Form45CSV()
        var problems = [RecordProblem]()
        for record in records {
            var cells = record.fields
            while cells.count > 2, cells.last?.isEmpty == true { cells.removeLast() }
            guard cells.count == 2 else {
                problems.append(
                    RecordProblem(
                        "\(name) line \(record.line)", "\"\(cells.joined(separator: ","))\" is not two cells",
                        allowed: "CANDIDATE,VOTES such as NA-235-C01,210, or rejected,N / total,N / registered,N"))
                continue
            }
            switch cells[0].lowercased() {
            case "rejected": csv.rejected = cells[1]
            case "total", "totalcast", "total cast": csv.total = cells[1]
            case "registered", "registeredvoters", "registered voters": csv.registered = cells[1]
            case "candidate", "candidates", "id":
                if record.line > 1 || !cells[1].allSatisfy(\.isASCIIDigit) { fallthrough }
            default:
                if cells[1].lowercased() == "votes" { continue }
                csv.votes.append(Row(candidate: cells[0], votes: cells[1], line: record.line))
            }
        }
        return problems.isEmpty ? .success(csv) : .failure(RecordProblems(problems))
    }
}
