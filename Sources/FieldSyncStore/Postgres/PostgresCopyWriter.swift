import FieldSyncModel

/// Builds the data of a `COPY … FROM STDIN` in PostgreSQL's text format: one line per row, columns
/// separated by tabs, `\N` for NULL, and backslash, tab, newline and carriage return escaped.
///
/// This is the bulk path of the event store, so the common column types are written straight into
/// the buffer without intermediate strings.
public struct PostgresCopyWriter: Sendable {
    public private(set) var data: [UInt8] = []
    private var atRowStart = true

    public init(reservingCapacity capacity: Int = 0) {
        data.reserveCapacity(capacity)
    }

    /// Appends a text column, escaped.
    public mutating func append(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { appendEscaped($0) }
    }

    /// Appends a text column given as its UTF-8 bytes (a canonical document, say), escaped, without
    /// making a `String` of them first.
    public mutating func append(utf8 text: [UInt8]) {
        separate()
        text.withUnsafeBufferPointer { appendEscaped($0) }
    }

    /// Appends an integer column.
    public mutating func append(_ value: Int64) {
        separate()
        appendDecimal(value)
    }

    /// Appends a `bytea` column in hex format (`\\x…` once escaped for COPY).
    public mutating func append(_ bytes: ByteA) {
        separate()
        appendHex(bytes.bytes)
    }

    /// Appends a 32-byte digest as a `bytea` column.
    public mutating func append(_ digest: SHA256Digest) {
        separate()
        appendHexPrefix()
        digest.writeHex(into: &data)
    }

    /// Appends a `timestamptz` column in UTC.
    public mutating func append(_ time: Timestamp) {
        separate()
        data.append(contentsOf: time.rfc3339UTC.utf8)
    }

    /// Appends a column of any encodable type, escaped.
    public mutating func append(_ value: some PostgresEncodable) {
        append(value.postgresText)
    }

    /// Appends a text column that may be NULL.
    public mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    /// Appends a column that may be NULL.
    public mutating func append(_ value: (some PostgresEncodable)?) {
        if let value { append(value.postgresText) } else { appendNull() }
    }

    /// Appends a NULL column.
    public mutating func appendNull() {
        separate()
        data.append(UInt8(ascii: "\\"))
        data.append(UInt8(ascii: "N"))
    }

    /// Appends columns already written by another writer, as they are.
    public mutating func appendRaw(_ columns: [UInt8], separated: Bool = false) {
        if separated { separate() } else if !columns.isEmpty { atRowStart = false }
        data.append(contentsOf: columns)
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

    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<bytes.count {
            let escape: UInt8
            switch bytes[index] {
            case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
            default: continue
            }
            data.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            data.append(UInt8(ascii: "\\"))
            data.append(escape)
            start = index + 1
        }
        data.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
    }

    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 { data.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var reversed = [UInt8]()
        reversed.reserveCapacity(20)
        repeat {
            reversed.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        data.append(contentsOf: reversed.reversed())
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `\x`, which introduces bytea's hex format; COPY's text format needs the backslash doubled.
    private mutating func appendHexPrefix() {
        data.append(UInt8(ascii: "\\"))
        data.append(UInt8(ascii: "\\"))
        data.append(UInt8(ascii: "x"))
    }

    private mutating func appendHex(_ bytes: [UInt8]) {
        appendHexPrefix()
        for byte in bytes {
            data.append(Self.hexDigits[Int(byte >> 4)])
            data.append(Self.hexDigits[Int(byte & 0x0f)])
        }
    }
}
