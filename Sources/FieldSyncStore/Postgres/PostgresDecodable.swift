import FieldSyncModel

/// A Swift value that can be read from a column in PostgreSQL's text format, and from the binary format
/// of the types that have ``init(postgresBinary:type:)``.
public protocol PostgresDecodable: Sendable {
    /// Decodes the value from the column's text. Throws ``PostgresError/Code/decoding`` when it does not fit.
    init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError)
    /// Decodes the value from a column of `type` in the binary format (``PostgresResult/Format/binary``).
    /// Throws ``PostgresError/Code/decoding`` when it does not fit; by default, whatever the column.
    init(postgresBinary bytes: UnsafeBufferPointer<UInt8>, type: PostgresType) throws(PostgresError)
}

extension PostgresDecodable {
    public init(postgresBinary bytes: UnsafeBufferPointer<UInt8>, type: PostgresType) throws(PostgresError) {
        throw Self.binaryError(bytes, type: type)
    }

    static func decodingError(_ text: UnsafeBufferPointer<UInt8>) -> PostgresError {
        let shown = String(decoding: text.prefix(40), as: UTF8.self)
        return PostgresError(code: .decoding, message: "cannot read '\(shown)' as \(Self.self)")
    }

    static func binaryError(_ bytes: UnsafeBufferPointer<UInt8>, type: PostgresType) -> PostgresError {
        PostgresError(
            code: .decoding, message: "cannot read \(bytes.count) bytes of \(type) in binary format as \(Self.self)")
    }
}

extension String: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) {
        self = String(decoding: text, as: UTF8.self)
    }

    /// A column of text: the same bytes as its text format.
    public init(postgresBinary bytes: UnsafeBufferPointer<UInt8>, type: PostgresType) throws(PostgresError) {
        guard type.isText else { throw Self.binaryError(bytes, type: type) }
        self = String(decoding: bytes, as: UTF8.self)
    }
}

/// A text column's bytes exactly as stored (UTF-8), without making a `String` of them; a `bytea` is
/// read as ``ByteA``.
extension Array: PostgresDecodable where Element == UInt8 {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) {
        self.init(text)
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        var value: Int64 = 0
        var negative = false
        var index = 0
        if text.first == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        guard index < text.count else { throw Self.decodingError(text) }
        // Accumulated with the number's sign, so that the most negative value, which has no positive twin,
        // is read too.
        while index < text.count {
            let digit = text[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw Self.decodingError(text) }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) =
                negative
                ? times10.subtractingReportingOverflow(Int64(digit)) : times10.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw Self.decodingError(text) }
            value = sum
            index += 1
        }
        self = value
    }
}

extension Int64 {
    /// A `bigint`, `integer` or `smallint`: 8, 4 or 2 bytes, big-endian, two's complement.
    public init(postgresBinary bytes: UnsafeBufferPointer<UInt8>, type: PostgresType) throws(PostgresError) {
        let width =
            switch type {
            case .int8: 8
            case .int4: 4
            case .int2: 2
            default: 0
            }
        guard width > 0, bytes.count == width else { throw Self.binaryError(bytes, type: type) }
        var value: UInt64 = 0
        for byte in bytes { value = value << 8 | UInt64(byte) }
        // Sign-extended from its width.
        let unused = UInt64(64 - 8 * width)
        self = Int64(bitPattern: value << unused) >> unused
    }
}

extension Int: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        self = Int(try Int64(postgresText: text))
    }

    public init(postgresBinary bytes: UnsafeBufferPointer<UInt8>, type: PostgresType) throws(PostgresError) {
        self = Int(try Int64(postgresBinary: bytes, type: type))
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        let wide = try Int64(postgresText: text)
        guard let narrow = Int32(exactly: wide) else { throw Self.decodingError(text) }
        self = narrow
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        switch text.first {
        case UInt8(ascii: "t"): self = true
        case UInt8(ascii: "f"): self = false
        default: throw Self.decodingError(text)
        }
    }
}

extension Double: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { throw Self.decodingError(text) }
        self = value
    }
}

/// `bytea` in PostgreSQL's hex output format (`\x…`).
extension ByteA: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"),
            let bytes = Hex.decode(utf8: UnsafeBufferPointer(rebasing: text.dropFirst(2)))
        else { throw Self.decodingError(text) }
        self.init(bytes)
    }
}

extension SHA256Digest: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        // `\x` and 64 hex digits, read in place: every event read back decodes two.
        guard text.count == 66, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"),
            let digest = SHA256Digest(hexUTF8: UnsafeBufferPointer(rebasing: text.dropFirst(2)))
        else { throw Self.decodingError(text) }
        self = digest
    }

    /// A `bytea` of 32 bytes: the digest's bytes.
    public init(postgresBinary bytes: UnsafeBufferPointer<UInt8>, type: PostgresType) throws(PostgresError) {
        guard type == .bytea, let digest = SHA256Digest(bytes: bytes) else { throw Self.binaryError(bytes, type: type) }
        self = digest
    }
}

/// `timestamptz` as PostgreSQL writes it with `DateStyle=ISO` and `TimeZone=UTC`, which every
/// connection of this module sets: `2024-02-08 03:00:00.123456+00`.
extension Timestamp: PostgresDecodable {
    public init(postgresText text: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        // Turn the ISO output into RFC 3339: 'T' between date and time, and a full ±HH:MM offset.
        var bytes = Array(text)
        guard bytes.count >= 22, bytes[10] == UInt8(ascii: " ") else { throw Self.decodingError(text) }
        bytes[10] = UInt8(ascii: "T")
        if let sign = bytes.lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }), sign > 18 {
            let offset = bytes.count - sign - 1
            if offset == 2 { bytes += Array(":00".utf8) }
        }
        guard let value = Timestamp(rfc3339: String(decoding: bytes, as: UTF8.self)) else {
            throw Self.decodingError(text)
        }
        self = value
    }
}
