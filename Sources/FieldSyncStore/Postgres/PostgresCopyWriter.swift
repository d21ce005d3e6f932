/// Builds the data of a `COPY … FROM STDIN` in PostgreSQL's text format: one line per row, columns
/// separated by tabs, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
public struct PostgresCopyWriter: Sendable {
    public private(set) var data: [UInt8] = []
    private var atRowStart = true

    public init(reservingCapacity capacity: Int = 0) {
        data.reserveCapacity(capacity)
    }

    /// Appends a column to the current row.
    public mutating func append(_ value: some PostgresEncodable) {
        separate()
        var text = value.postgresText
        text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): data += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case UInt8(ascii: "\t"): data += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case UInt8(ascii: "\n"): data += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): data += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                default: data.append(byte)
                }
            }
        }
    }

    /// Appends a column that may be NULL.
    public mutating func append(_ value: (some PostgresEncodable)?) {
        if let value {
            append(value)
        } else {
            separate()
            data += [UInt8(ascii: "\\"), UInt8(ascii: "N")]
        }
    }

    /// Ends the current row.
    public mutating func endRow() {
        data.append(UInt8(ascii: "\n"))
        atRowStart = true
    }

    private mutating func separate() {
        if !atRowStart { data.append(UInt8(ascii: "\t")) }
        atRowStart = false
    }
}
