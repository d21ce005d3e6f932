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
    static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for character in text.unicodeScalars {
            if character == "\"" || character == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(character)
        }
        return out + "\""
    }
}
