/// Comma-separated values as RFC 4180 writes them, for spreadsheets: a header row, then one record
/// per row, every record ended by CRLF, UTF-8 without a byte order mark. A field is quoted when it
/// holds a comma, a double quote (doubled inside), a CR or an LF, or starts or ends with a space.
///
/// A text a spreadsheet would run as a formula — one starting with `=`, `+`, `-`, `@`, a tab or a CR,
/// other than a plain number such as `-5` — is written with a leading `'`, so that opening the file
/// never evaluates what a reporter typed. ``CSVReader`` reads what this writes.
public struct CSVWriter: Sendable {
    /// The text so far: the header and the rows added.
    public private(set) var text: String
    /// How many fields each row has: the header's.
    public let width: Int

    public init(header: [String]) {
        text = ""
        width = header.count
        append(header)
    }

    /// Adds one record; `nil` is an empty field. A row must have as many fields as the header.
    public mutating func append(_ fields: [String?]) {
        precondition(fields.count == width, "a row of \(fields.count) fields in a table of \(width) columns")
        text += fields.map { Self.field($0 ?? "") }.joined(separator: ",")
        text += "\r\n"
    }

    /// One field as written in a record.
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Int64(value) == nil {
            value = "'" + value
        }
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.hasPrefix(" ") || value.hasSuffix(" ")
        guard needsQuotes else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
