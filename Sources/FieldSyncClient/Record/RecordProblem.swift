/// One thing wrong with what the reporter typed, in their words: the option or value (`--station`,
/// `VOTES`, `PPP`, `NA-235-C07`), what is wrong, what is allowed, and the nearest codes when one
/// looks mistyped.
public struct RecordProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var problem: String
    public var allowed: String
    public var suggestions: [String]

    public init(_ field: String, _ problem: String, allowed: String, suggestions: [String] = []) {
        self.field = field
        self.problem = problem
        self.allowed = allowed
        self.suggestions = suggestions
    }

    /// `--station: NA-253-001 is not a polling station of this election (allowed: …); did you mean NA-235-001?`
    public var description: String {
        var text = field + ": " + problem
        if !allowed.isEmpty { text += " (allowed: \(allowed))" }
        if !suggestions.isEmpty {
            text += "; did you mean " + Self.list(suggestions) + "?"
        }
        return text
    }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " or " + items.last!
        }
    }
}

/// Everything wrong with one `record` command: one line each.
public struct RecordProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [RecordProblem]

    public init(_ problems: [RecordProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
