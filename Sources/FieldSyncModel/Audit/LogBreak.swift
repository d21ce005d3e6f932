/// Where an exported log first fails verification: the line of the file (from 1), the position and
/// event id the line claims when they can be read, and everything wrong with that line.
public struct LogBreak: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line of the file, from 1. For a file that ends too early, the line after its last.
    public let line: Int
    public let position: Int64?
    public let event: EventID?
    /// Every problem found on the line; never empty.
    public let problems: [FieldError]

    public init(line: Int, position: Int64?, event: EventID?, problems: [FieldError]) {
        self.line = line
        self.position = position
        self.event = event
        self.problems = problems
    }

    /// `line 17 (position 17, event 25ad78b3-…): signature: not a valid … (allowed: …); chain: …`.
    public var description: String {
        var place = [String]()
        if let position { place.append("position \(position)") }
        if let event { place.append("event \(event)") }
        let location = "line \(line)" + (place.isEmpty ? "" : " (" + place.joined(separator: ", ") + ")")
        return location + ": " + problems.map(\.description).joined(separator: "; ")
    }
}
