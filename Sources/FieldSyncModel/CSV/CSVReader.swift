/// Reads comma-separated values as RFC 4180 writes them: fields in double quotes may hold separators, line
/// breaks and quotes (doubled: `""`); records end with CRLF or LF (or a lone CR); a UTF-8 byte order mark
/// before the first field is dropped. Every syntax problem is reported with its line and field, not only
/// the first. Pure: text in, records out.
///
/// The options cover what people and spreadsheets write besides: other separators (`;`, a tab), spaces
/// around fields, comment lines, blank lines.
public struct CSVReader: Sendable {
    /// What separates the fields of a record: a comma unless set.
    public var separators: Set<Unicode.Scalar>
    /// Whether spaces and tabs around a field (outside its quotes) are dropped. RFC 4180 keeps them.
    public var trimsSpaces: Bool
    /// A record that starts with this character is a comment, skipped to the end of its line.
    public var commentPrefix: Unicode.Scalar?
    /// Whether lines with nothing on them are skipped; RFC 4180 reads them as a record of one empty field.
    public var skipsBlankLines: Bool

    public init(
        separators: Set<Unicode.Scalar> = [","], trimsSpaces: Bool = false, commentPrefix: Unicode.Scalar? = nil,
        skipsBlankLines: Bool = true
    ) {
        self.separators = separators
        self.trimsSpaces = trimsSpaces
        self.commentPrefix = commentPrefix
        self.skipsBlankLines = skipsBlankLines
    }

    /// The records of `text`, in order; throws every problem found.
    public func records(_ text: String) throws(CSVProblems) -> [CSVRecord] {
        var scan = Scan(reader: self, text: text)
        scan.run()
        guard scan.problems.isEmpty else { throw CSVProblems(scan.problems) }
        return scan.records
    }

    /// The records of a file's bytes, which must be UTF-8 (a line that is not is a problem).
    public func records(utf8 bytes: some Collection<UInt8>) throws(CSVProblems) -> [CSVRecord] {
        try records(Self.text(utf8: bytes))
    }

    /// A table (``table(_:)``) of a file's bytes, which must be UTF-8 (a line that is not is a problem).
    public func table(utf8 bytes: some Collection<UInt8>) throws(CSVProblems) -> CSVTable {
        try table(Self.text(utf8: bytes))
    }

    /// The text of a file's bytes; throws the first line that is not UTF-8.
    static func text(utf8 bytes: some Collection<UInt8>) throws(CSVProblems) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            var line = 1
            for slice in bytes.split(separator: 0x0a, omittingEmptySubsequences: false) {
                if String(validating: slice, as: UTF8.self) == nil { break }
                line += 1
            }
            throw CSVProblems([
                CSVProblem(line: line, field: nil, "is not UTF-8 text", allowed: "a file saved as UTF-8")
            ])
        }
        return text
    }

    /// A table: the first record names the columns, and every other record has one field for each.
    public func table(_ text: String) throws(CSVProblems) -> CSVTable {
        let records = try records(text)
        guard let header = records.first else {
            throw CSVProblems([CSVProblem(line: 1, field: nil, "is empty", allowed: "a header row, then rows")])
        }
        let rows = Array(records.dropFirst())
        let problems = rows.filter { $0.fields.count != header.fields.count }.map {
            CSVProblem(
                line: $0.line, field: nil, "has \($0.fields.count) field\($0.fields.count == 1 ? "" : "s")",
                allowed: "one for each of the \(header.fields.count) columns of the header on line \(header.line)")
        }
        guard problems.isEmpty else { throw CSVProblems(problems) }
        return CSVTable(header: header.fields, rows: rows)
    }
}

/// One record: its fields, and the line it starts on (from 1).
public struct CSVRecord: Sendable, Hashable {
    public var fields: [String]
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}

/// A CSV file whose first record names its columns.
public struct CSVTable: Sendable, Hashable {
    public var header: [String]
    public var rows: [CSVRecord]

    /// The index of the column named `name`, ignoring case and surrounding spaces.
    public func column(_ name: String) -> Int? {
        let wanted = name.lowercased().trimmingSpaces()
        return header.firstIndex { $0.lowercased().trimmingSpaces() == wanted }
    }
}

/// What is wrong in a CSV file, where: `line 4, field 2: a quoted field is not closed (allowed: …)`.
public struct CSVProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The field of the record, from 1; nil for the record as a whole.
    public var field: Int?
    public var problem: String
    public var allowed: String

    public init(line: Int, field: Int?, _ problem: String, allowed: String) {
        self.line = line
        self.field = field
        self.problem = problem
        self.allowed = allowed
    }

    /// `line 4` or `line 4, field 2`.
    public var place: String { "line \(line)" + (field.map { ", field \($0)" } ?? "") }

    public var description: String { "\(place): \(problem) (allowed: \(allowed))" }
}

/// Every problem of a CSV file, one line each.
public struct CSVProblems: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [CSVProblem]

    public init(_ problems: [CSVProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

/// One pass over the text: the records and problems found.
private struct Scan {
    let reader: CSVReader
    let scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var records = [CSVRecord]()
    var problems = [CSVProblem]()

    init(reader: CSVReader, text: String) {
        self.reader = reader
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        self.scalars = scalars
    }

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// The record's first character, past spaces when they are trimmed.
    var firstOfRecord: Unicode.Scalar? {
        var at = index
        while reader.trimsSpaces, at < scalars.count, scalars[at] == " " || scalars[at] == "\t" { at += 1 }
        return at < scalars.count ? scalars[at] : nil
    }

    mutating func run() {
        while index < scalars.count {
            if let prefix = reader.commentPrefix, firstOfRecord == prefix {
                skipLine()
                continue
            }
            let start = line
            var fields = [String]()
            var quoted = false
            while true {
                let (field, wasQuoted) = readField(number: fields.count + 1)
                fields.append(field)
                quoted = quoted || wasQuoted
                guard let next = current else { break }
                index += 1
                if reader.separators.contains(next) { continue }
                endLine(after: next)
                break
            }
            let blank = fields.count == 1 && fields[0].isEmpty && !quoted
            if !(blank && reader.skipsBlankLines) { records.append(CSVRecord(fields: fields, line: start)) }
        }
    }

    /// Reads one field, leaving `index` on the separator or line break after it (or at the end).
    mutating func readField(number: Int) -> (String, quoted: Bool) {
        if reader.trimsSpaces { skipSpaces() }
        guard current == "\"" else { return (readUnquoted(number: number), false) }
        let opened = line
        index += 1
        var field = String.UnicodeScalarView()
        while true {
            guard let scalar = current else {
                problems.append(
                    CSVProblem(
                        line: opened, field: number, "a quoted field is not closed",
                        allowed: "a closing \" (a quote inside a quoted field is written twice: \"\")"))
                return (String(field), true)
            }
            index += 1
            if scalar == "\"" {
                guard current == "\"" else { break }
                index += 1
            } else if scalar == "\n" || (scalar == "\r" && current != "\n") {
                line += 1
            }
            field.append(scalar)
        }
        if reader.trimsSpaces { skipSpaces() }
        if let next = current, !isEnd(next) {
            problems.append(
                CSVProblem(
                    line: line, field: number, "text after the closing quote",
                    allowed: "a separator or the end of the line; a quote inside a quoted field is written twice: \"\""
                ))
            _ = readUnquoted(number: number, reportingQuotes: false)
        }
        return (String(field), true)
    }

    mutating func readUnquoted(number: Int, reportingQuotes: Bool = true) -> String {
        var field = String.UnicodeScalarView()
        var reported = !reportingQuotes
        while let scalar = current, !isEnd(scalar) {
            if scalar == "\"" && !reported {
                problems.append(
                    CSVProblem(
                        line: line, field: number, "a quote inside a field that does not start with one",
                        allowed: "the whole field in quotes, with each quote inside written twice: \"a \"\"b\"\"\""))
                reported = true
            }
            field.append(scalar)
            index += 1
        }
        let text = String(field)
        return reader.trimsSpaces ? text.trimmingSpaces() : text
    }

    func isEnd(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || reader.separators.contains(scalar)
    }

    mutating func skipSpaces() {
        while let scalar = current, scalar == " " || scalar == "\t", !reader.separators.contains(scalar) { index += 1 }
    }

    /// Moves past a line break whose first character was `scalar` (already read).
    mutating func endLine(after scalar: Unicode.Scalar) {
        if scalar == "\r" && current == "\n" { index += 1 }
        line += 1
    }

    mutating func skipLine() {
        while let scalar = current {
            index += 1
            if scalar == "\n" || scalar == "\r" {
                endLine(after: scalar)
                return
            }
        }
    }
}
