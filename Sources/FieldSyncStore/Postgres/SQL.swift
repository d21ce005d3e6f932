/// A SQL statement whose values travel as bind parameters, never as text in the statement.
///
/// Interpolated values become `$1`, `$2`, …, so injection is impossible by construction:
///
///     let rows = try await connection.query("SELECT * FROM events WHERE position > \(after) LIMIT \(limit)")
///
/// A string literal is trusted as SQL because it is source code. SQL built from a runtime `String` must
/// go through ``init(unsafeSQL:)``, and an identifier through `\(identifier: name)`, which quotes it.
public struct SQL: Sendable, ExpressibleByStringInterpolation {
    /// The statement text with `$n` placeholders.
    public private(set) var text: String
    /// The bound values in the text format of PostgreSQL, `nil` for NULL.
    public private(set) var binds: [String?]

    /// SQL from a runtime string. Nothing in it is escaped: never build it from input.
    public init(unsafeSQL text: String) {
        self.text = text
        self.binds = []
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.text = stringInterpolation.text
        self.binds = stringInterpolation.binds
    }

    /// Appends another statement fragment, renumbering its placeholders.
    public mutating func append(_ other: SQL) {
        var interpolation = StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.text = text
        interpolation.binds = binds
        interpolation.appendInterpolation(other)
        text = interpolation.text
        binds = interpolation.binds
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var text = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        /// A value, sent as a bind parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresText)
            text += "$\(binds.count)"
        }

        /// An optional value, sent as a bind parameter; `nil` is NULL.
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            binds.append(value?.postgresText)
            text += "$\(binds.count)"
        }

        /// An identifier (a table or column name), quoted so that it can never be read as SQL.
        public mutating func appendInterpolation(identifier: String) {
            text += "\"" + identifier.replacing("\"", with: "\"\"") + "\""
        }

        /// Another statement fragment; its placeholders are renumbered.
        public mutating func appendInterpolation(_ fragment: SQL) {
            let offset = binds.count
            binds.append(contentsOf: fragment.binds)
            guard offset > 0, !fragment.binds.isEmpty else {
                text += fragment.text
                return
            }
            text += SQL.renumber(fragment.text, by: offset)
        }

        /// Text spliced in as SQL. Nothing in it is escaped: never build it from input.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            self.text += text
        }
    }

    /// Shifts every `$n` placeholder outside quotes by `offset`.
    static func renumber(_ text: String, by offset: Int) -> String {
        var out = ""
        var digits = ""
        var inPlaceholder = false
        var quote: Character?
        func flush() {
            if inPlaceholder, let number = Int(digits) {
                out += "$\(number + offset)"
            } else if inPlaceholder {
                out += "$" + digits
            }
            inPlaceholder = false
            digits = ""
        }
        for character in text {
            if inPlaceholder {
                if character.isASCII, character.isNumber {
                    digits.append(character)
                    continue
                }
                flush()
            }
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "$" {
                inPlaceholder = true
            } else {
                out.append(character)
            }
        }
        flush()
        return out
    }
}
