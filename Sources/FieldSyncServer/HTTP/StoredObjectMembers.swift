import FieldSyncModel

/// The top-level members of a stored document that is a JSON object in canonical form, found by following
/// its strings and nesting, without parsing any value: each member's name and the range of its bytes
/// (`"name":value`), in order. Lets an answer add members to a stored document and keep its bytes
/// (``DocumentAnswer/storedObject(_:adding:)``). Whitespace between members is skipped (a row written back
/// by hand as PostgreSQL's `jsonb` text has some); inside a member it stays.
struct StoredObjectMembers: Sequence {
    let bytes: [UInt8]

    /// Nil when `bytes` is not an object: its first byte is not `{`.
    init?(_ bytes: [UInt8]) {
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        self.bytes = bytes
    }

    func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    struct Iterator: IteratorProtocol {
        let bytes: [UInt8]
        /// Where the next member starts: after the `{` or the `,` before it.
        var nextStart = 1
        /// JSON's whitespace: space, tab, line feed, carriage return.
        static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0a, 0x0d]

        mutating func next() -> (name: String, range: Range<Int>)? {
            var start = nextStart
            while start < bytes.count, Self.whitespace.contains(bytes[start]) { start += 1 }
            guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
            var index = start
            var depth = 0
            var inString = false
            var nameEnd: Int?
            while index < bytes.count {
                let byte = bytes[index]
                if inString {
                    if byte == UInt8(ascii: "\\") {
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if nameEnd == nil { nameEnd = index + 1 }
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if depth > 0, byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                } else if depth == 0, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") {
                    return member(start..<index, nameEnd: nameEnd)
                }
                index += 1
            }
            return nil
        }

        /// The member in `range`, whose name ends (after its closing quote) at `nameEnd`; the next starts after it.
        private mutating func member(_ range: Range<Int>, nameEnd: Int?) -> (name: String, range: Range<Int>)? {
            guard let nameEnd, let name = try? JSONParser.parse(Array(bytes[range.lowerBound..<nameEnd])).stringValue
            else { return nil }
            nextStart = range.upperBound + 1
            return (name, range)
        }
    }
}
