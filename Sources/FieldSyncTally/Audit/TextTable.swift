/// A fixed-width table for a terminal: a header, a rule, and rows, each cell padded to its column's
/// width and cut with `…` at the column's limit.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        case right
    }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        /// The most characters a cell shows; nil for no limit.
        public var limit: Int?

        public init(_ title: String, _ alignment: Alignment = .left, limit: Int? = nil) {
            self.title = title
            self.alignment = alignment
            self.limit = limit
        }
    }

    public var columns: [Column]
    public var rows: [[String]] = []
    /// The space between columns.
    public var gap = "  "

    public init(_ columns: [Column]) {
        self.columns = columns
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table's lines, without trailing spaces.
    public var lines: [String] {
        let cells = ([columns.map(\.title)] + rows).map { row in
            columns.indices.map { index in
                Self.cut(index < row.count ? row[index] : "", to: columns[index].limit)
            }
        }
        let widths = columns.indices.map { index in cells.map { $0[index].count }.max() ?? 0 }
        var lines = cells.map { row in
            columns.indices.map { index in
                Self.pad(row[index], to: widths[index], columns[index].alignment)
            }.joined(separator: gap).trimmingTrailingSpaces()
        }
        lines.insert(widths.map { String(repeating: "─", count: $0) }.joined(separator: gap), at: 1)
        return lines
    }

    /// `text` cut to `limit` characters, the last being `…`.
    public static func cut(_ text: String, to limit: Int?) -> String {
        guard let limit, text.count > limit else { return text }
        return limit < 1 ? "" : String(text.prefix(limit - 1)) + "…"
    }

    static func pad(_ text: String, to width: Int, _ alignment: Alignment) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return alignment == .left ? text + padding : padding + text
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
