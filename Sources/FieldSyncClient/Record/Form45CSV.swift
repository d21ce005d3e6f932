import Foundation

/// A Form-45 typed into a small CSV file, one row per line: `CANDIDATE,VOTES` (`NA-235-C01,210`, or
/// `C01,210` with the seat given apart), and optionally `rejected,N`, `total,N`, `registered,N`.
/// A header row (`candidate,votes`), blank lines and `#` comments are skipped; `;` or a tab may stand
/// for the comma. Pure.
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

    /// Reads the rows; a row that is not two cells is a problem naming the file and line.
    public static func parse(_ text: String, name: String) -> Result<Form45CSV, RecordProblems> {
        var csv = Form45CSV()
        var problems = [RecordProblem]()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" }).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            guard cells.count == 2 else {
                problems.append(
                    RecordProblem(
                        "\(name) line \(lineNumber)", "\"\(line)\" is not two cells",
                        allowed: "CANDIDATE,VOTES such as NA-235-C01,210, or rejected,N / total,N / registered,N"))
                continue
            }
            switch cells[0].lowercased() {
            case "rejected": csv.rejected = cells[1]
            case "total", "totalcast", "total cast": csv.total = cells[1]
            case "registered", "registeredvoters", "registered voters": csv.registered = cells[1]
            case "candidate", "candidates", "id":
                if lineNumber > 1 || !cells[1].allSatisfy(\.isASCIIDigit) { fallthrough }
            default:
                if cells[1].lowercased() == "votes" { continue }
                csv.votes.append(Row(candidate: cells[0], votes: cells[1], line: lineNumber))
            }
        }
        return problems.isEmpty ? .success(csv) : .failure(RecordProblems(problems))
    }
}
