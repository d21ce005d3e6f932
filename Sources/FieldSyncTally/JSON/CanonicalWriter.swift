import FieldSyncModel

/// Writes a tally document straight to its canonical bytes (RFC 8785, as ``CanonicalJSON`` writes
/// them), without building a ``JSONValue`` first: the hot path of rendering changed rows.
///
/// The caller writes each object's members in canonical order (by UTF-16 code units of the names;
/// byte order for the ASCII names used here). Debug builds check the order; the tests check that
/// every document's bytes are exactly `CanonicalJSON.bytes` of the value they parse to.
struct CanonicalWriter: Sendable {
    private(set) var bytes: [UInt8]
    /// One entry per open object or array: whether a member or element has been written.
    private var started: [Bool] = []
    #if DEBUG
    /// The last member name written in each open object.
    private var lastNames: [[UInt8]?] = []
    #endif

    init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The bytes of one document, in an array of their size: not the `capacity` reserved for writing them.
    ///
    /// A batch holds its documents until they are written, thousands of them: a station's reserves 4 KiB
    /// and takes about 600 bytes, so the room left over was most of a batch's memory.
    static func document(capacity: Int = 1024, _ body: (inout CanonicalWriter) -> Void) -> [UInt8] {
        var writer = CanonicalWriter(capacity: capacity)
        body(&writer)
        // Not `Array(writer.bytes[...])`: a slice of the whole array gives the same buffer back, spare room and all.
        return [UInt8](unsafeUninitializedCapacity: writer.bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: writer.bytes)
        }
    }

    // MARK: Structure

    mutating func object(_ body: (inout CanonicalWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        started.append(false)
        #if DEBUG
        lastNames.append(nil)
        #endif
        body(&self)
        started.removeLast()
        #if DEBUG
        lastNames.removeLast()
        #endif
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func array(_ body: (inout CanonicalWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        started.append(false)
        #if DEBUG
        lastNames.append(nil)
        #endif
        body(&self)
        started.removeLast()
        #if DEBUG
        lastNames.removeLast()
        #endif
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of `elements`, each written by `body`.
    mutating func array<S: Sequence>(_ elements: S, _ body: (inout CanonicalWriter, S.Element) -> Void) {
        array { writer in
            for element in elements { body(&writer, element) }
        }
    }

    /// The name of the next member; the value follows.
    mutating func name(_ name: StaticString) {
        name.withUTF8Buffer { self.name(utf8: $0) }
    }

    mutating func name(_ name: String) {
        var name = name
        name.withUTF8 { self.name(utf8: $0) }
    }

    private mutating func name(utf8: UnsafeBufferPointer<UInt8>) {
        #if DEBUG
        if let last = lastNames[lastNames.count - 1] {
            let name = Array(utf8)
            let ordered =
                last.allSatisfy { $0 < 0x80 } && name.allSatisfy { $0 < 0x80 }
                ? last.lexicographicallyPrecedes(name)
                : CanonicalJSON.precedesInUTF16Order(
                    String(decoding: last, as: UTF8.self), String(decoding: name, as: UTF8.self))
            assert(ordered, "member \(String(decoding: name, as: UTF8.self)) written out of canonical order")
        }
        lastNames[lastNames.count - 1] = Array(utf8)
        #endif
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        // The value that follows needs no comma.
        started[started.count - 1] = false
    }

    /// A comma before any element or member but the first of its container.
    private mutating func separate() {
        guard !started.isEmpty else { return }
        if started[started.count - 1] { bytes.append(UInt8(ascii: ",")) }
        started[started.count - 1] = true
    }

    // MARK: Values

    mutating func null() {
        separate()
        bytes.append(contentsOf: [0x6e, 0x75, 0x6c, 0x6c])
    }

    mutating func value(_ bool: Bool) {
        separate()
        bytes.append(contentsOf: bool ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6c, 0x73, 0x65])
    }

    mutating func value(_ integer: Int) {
        separate()
        CanonicalJSON.writeInteger(Int64(integer), into: &bytes)
    }

    mutating func value(_ integer: Int64) {
        separate()
        CanonicalJSON.writeInteger(integer, into: &bytes)
    }

    mutating func value(_ integer: Int?) {
        if let integer { value(integer) } else { null() }
    }

    mutating func value(_ string: String) {
        separate()
        CanonicalJSON.writeString(string, into: &bytes)
    }

    /// A JSON value, in canonical form.
    mutating func value(_ json: JSONValue) {
        separate()
        bytes.append(contentsOf: CanonicalJSON.bytes(json))
    }

    mutating func value(_ string: String?) {
        if let string { value(string) } else { null() }
    }

    mutating func value(_ id: EventID) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        id.write(into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func value(_ ids: [EventID]) {
        array(ids) { $0.value($1) }
    }

    // MARK: Members

    mutating func member(_ name: StaticString, _ value: String) {
        self.name(name)
        self.value(value)
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        self.name(name)
        self.value(value)
    }

    mutating func member(_ name: StaticString, _ value: Int) {
        self.name(name)
        self.value(value)
    }

    mutating func member(_ name: StaticString, _ value: Int?) {
        self.name(name)
        self.value(value)
    }

    mutating func member(_ name: StaticString, _ value: Int64) {
        self.name(name)
        self.value(value)
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        self.name(name)
        self.value(value)
    }

    mutating func member(_ name: StaticString, _ value: EventID) {
        self.name(name)
        self.value(value)
    }

    /// An event id, or null.
    mutating func member(_ name: StaticString, _ value: EventID?) {
        self.name(name)
        if let value { self.value(value) } else { null() }
    }

    /// `[event]` or `[event, correction]`.
    mutating func member(_ name: StaticString, _ event: EventID, _ correction: EventID?) {
        self.name(name)
        array { writer in
            writer.value(event)
            if let correction { writer.value(correction) }
        }
    }

    mutating func member(_ name: StaticString, _ value: [EventID]) {
        self.name(name)
        self.value(value)
    }

    /// A member whose value is written by `body`.
    mutating func member(_ name: StaticString, _ body: (inout CanonicalWriter) -> Void) {
        self.name(name)
        body(&self)
    }

    /// A member whose value is `part`, or null.
    mutating func member(_ name: StaticString, _ part: (some CanonicalPart)?) {
        self.name(name)
        if let part { part.write(to: &self) } else { null() }
    }

    /// `{"maximum": …, "minimum": …}`.
    mutating func range(_ range: ClosedRange<Int>) {
        object { writer in
            writer.member("maximum", range.upperBound)
            writer.member("minimum", range.lowerBound)
        }
    }

    /// An object of counts keyed by text, in canonical order.
    mutating func counts(_ counts: [String: Int]) {
        object { writer in
            for key in counts.keys.sorted(by: CanonicalJSON.precedesInUTF16Order) {
                writer.name(key)
                writer.value(counts[key]!)
            }
        }
    }

    /// An object of votes keyed by candidate id, in canonical order.
    mutating func votes(_ votes: [CandidateID: Int]) {
        let sorted = votes.sorted { CandidateWriting.canonicalOrder($0.key, $1.key) }
        object { writer in
            for (candidate, count) in sorted {
                writer.name(candidate)
                writer.value(count)
            }
        }
    }

    /// A candidate id as a member name, written without making a string.
    mutating func name(_ candidate: CandidateID) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var count = 0
            func append(_ byte: UInt8) {
                buffer[count] = byte
                count += 1
            }
            func append(_ number: Int, width: Int) {
                var digits = 1
                var limit = 10
                while number >= limit {
                    digits += 1
                    limit *= 10
                }
                for _ in digits..<max(digits, width) { append(UInt8(ascii: "0")) }
                var divisor = limit / 10
                while divisor > 0 {
                    append(UInt8(ascii: "0") + UInt8(number / divisor % 10))
                    divisor /= 10
                }
            }
            let national = candidate.constituency.assembly == .national
            append(national ? UInt8(ascii: "N") : UInt8(ascii: "P"))
            append(national ? UInt8(ascii: "A") : UInt8(ascii: "S"))
            append(UInt8(ascii: "-"))
            append(candidate.constituency.number, width: 1)
            append(UInt8(ascii: "-"))
            append(UInt8(ascii: "C"))
            append(candidate.number, width: candidate.width)
            name(utf8: UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }
}

/// A part of a tally document that writes itself.
protocol CanonicalPart {
    func write(to writer: inout CanonicalWriter)
}

enum CandidateWriting: Sendable {
    /// Candidate ids in the canonical order of their text (`NA-248-C07` before `NA-248-C10`, and
    /// `NA-248-C100` before `NA-248-C11`, as strings sort).
    static func canonicalOrder(_ a: CandidateID, _ b: CandidateID) -> Bool {
        if a.constituency == b.constituency && a.width == b.width { return a.number < b.number }
        return CanonicalJSON.precedesInUTF16Order(a.rawValue, b.rawValue)
    }
}
