import FieldSyncModel

/// A Swift value that can be sent to PostgreSQL as a bind parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The value as PostgreSQL reads it in text format (as in `'…'::type`).
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public var postgresText: String { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    public var postgresText: String { self ? "t" : "f" }
}

extension Double: PostgresEncodable {
    public var postgresText: String { String(self) }
}

/// An instant, sent as a UTC `timestamptz` with microseconds.
extension Timestamp: PostgresEncodable {
    public var postgresText: String { rfc3339UTC }
}

/// Bytes sent as `bytea` (hex format).
public struct ByteA: Hashable, Sendable, PostgresEncodable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var postgresText: String { "\\x" + Hex.encode(bytes) }
}

/// A digest sent as a 32-byte `bytea`.
extension SHA256Digest: PostgresEncodable {
    public var postgresText: String { "\\x" + hex }
}

/// An array, sent as a PostgreSQL array literal; cast it in the statement (`\(ids)::uuid[]`).
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresText: String {
        var text = "{"
        for (index, element) in enumerated() {
            if index > 0 { text += "," }
            text += PostgresArrayLiteral.quote(element.postgresText)
        }
        return text + "}"
    }
}

/// An array that may hold NULLs.
public struct PostgresOptionalArray<Element: PostgresEncodable>: PostgresEncodable {
    public var elements: [Element?]

    public init(_ elements: [Element?]) {
        self.elements = elements
    }

    public var postgresText: String {
        "{" + elements.map { $0.map { PostgresArrayLiteral.quote($0.postgresText) } ?? "NULL" }.joined(separator: ",")
            + "}"
    }
}

enum PostgresArrayLiteral {
    /// An array element, double-quoted with `"` and `\` escaped, so any text is safe.
    ///
    /// Byte by byte over the UTF-8, into a string of the exact size: both escaped characters are ASCII, so
    /// no multi-byte character is split. A batch's tally documents pass through here (megabytes of JSON,
    /// a `"` every few bytes); appending unicode scalars one at a time took most of the batch's write.
    static func quote(_ text: String) -> String {
        var text = text
        return text.withUTF8 { source in
            let quote = UInt8(ascii: "\"")
            let backslash = UInt8(ascii: "\\")
            var escapes = 0
            for byte in source where byte == quote || byte == backslash { escapes += 1 }
            return String(unsafeUninitializedCapacity: source.count + escapes + 2) { out in
                var end = 0
                func put(_ byte: UInt8) {
                    out[end] = byte
                    end += 1
                }
                put(quote)
                for byte in source {
                    if byte == quote || byte == backslash { put(backslash) }
                    put(byte)
                }
                put(quote)
                return end
            }
        }
    }
}
