/// Reads the members of one JSON object, collecting every problem as a ``FieldError`` and
/// remembering which members were read, so that the rest can be reported as unknown.
struct ObjectReader {
    let object: [String: JSONValue]
    let path: String
    private(set) var errors: [FieldError] = []
    private var read: [String] = []
    /// How many of the names read are members of the object: when all are, none is unknown.
    private var readPresent = 0

    /// A reader of `value` at `path`, or nil (with an error in `errors`) if it is not an object.
    init?(_ value: JSONValue, at path: String, errors: inout [FieldError]) {
        guard case .object(let object) = value else {
            errors.append(
                FieldError(
                    field: path, code: .wrongType, problem: "expected an object, found \(value.kindDescription)",
                    allowed: "a JSON object"))
            return nil
        }
        self.object = object
        self.path = path
    }

    func field(_ name: String) -> String {
        if name.isEmpty { return path }
        return path.isEmpty ? name : path + "." + name
    }

    mutating func fail(_ name: String, _ code: FieldError.Code, _ problem: String, allowed: String) {
        errors.append(FieldError(field: field(name), code: code, problem: problem, allowed: allowed))
    }

    /// Adds errors found elsewhere for this object's members.
    mutating func append(_ more: [FieldError]) { errors += more }

    /// Adds this reader's errors and one for each member that was not read to `errors`.
    consuming func finish(into errors: inout [FieldError], allowed: @autoclosure () -> String? = nil) {
        if readPresent < object.count {
            for name in object.keys.filter({ !read.contains($0) }).sorted() {
                fail(
                    name, .unknownMember, "unknown member",
                    allowed: allowed() ?? "only " + read.sorted().joined(separator: ", "))
            }
        }
        errors += self.errors
    }

    /// The raw value of a member, marking it read; an error if it is missing and required.
    mutating func value(_ name: String, required: Bool = true, allowed: @autoclosure () -> String) -> JSONValue? {
        read.append(name)
        guard let value = object[name] else {
            if required { fail(name, .missingMember, "missing", allowed: allowed()) }
            return nil
        }
        readPresent += 1
        return value
    }

    mutating func wrongType(_ name: String, _ value: JSONValue, expected: String, allowed: String) {
        fail(name, .wrongType, "expected \(expected), found \(value.kindDescription)", allowed: allowed)
    }

    mutating func string(_ name: String, required: Bool = true, allowed: @autoclosure () -> String) -> String? {
        guard let value = value(name, required: required, allowed: allowed()) else { return nil }
        guard case .string(let string) = value else {
            wrongType(name, value, expected: "a string", allowed: allowed())
            return nil
        }
        return string
    }

    /// Text for people to read: 1 to `maxLength` Unicode code points; line breaks and tabs only if
    /// `multiline`, no other control characters.
    mutating func text(_ name: String, maxLength: Int, multiline: Bool = false, required: Bool = true) -> String? {
        func allowed() -> String { "text of 1 to \(maxLength) characters" + (multiline ? "" : " on one line") }
        guard let text = string(name, required: required, allowed: allowed()) else { return nil }
        let count = text.unicodeScalars.count
        if count == 0 {
            fail(name, .empty, "empty", allowed: allowed())
            return nil
        }
        if count > maxLength {
            fail(name, .tooLong, "\(count) characters, over the limit of \(maxLength)", allowed: allowed())
            return nil
        }
        for scalar in text.unicodeScalars where scalar.value < 0x20 || scalar.value == 0x7f {
            if multiline && (scalar == "\n" || scalar == "\t" || scalar == "\r") { continue }
            fail(
                name, .invalidFormat,
                "contains the control character U+00" + Hex.encode([UInt8(scalar.value)]).uppercased(),
                allowed: allowed()
            )
            return nil
        }
        return text
    }

    mutating func bool(_ name: String, required: Bool = true) -> Bool? {
        let allowed = "true or false"
        guard let value = value(name, required: required, allowed: allowed) else { return nil }
        guard case .bool(let bool) = value else {
            wrongType(name, value, expected: "a boolean", allowed: allowed)
            return nil
        }
        return bool
    }

    /// A number of people or ballots: an integer ≥ 0.
    mutating func count(_ name: String, required: Bool = true) -> Int? {
        guard let value = value(name, required: required, allowed: CountRule.allowed) else { return nil }
        switch CountRule.check(value) {
        case .success(let count): return count
        case .failure(let error):
            fail(name, error.code, error.problem, allowed: CountRule.allowed)
            return nil
        }
    }

    /// An RFC 3339 time with an offset.
    mutating func time(_ name: String, required: Bool = true) -> ObservedTime? {
        let allowed = TimeRule.allowed
        guard let text = string(name, required: required, allowed: allowed) else { return nil }
        guard let time = ObservedTime(text) else {
            fail(name, .invalidFormat, "\"\(text)\" is not an RFC 3339 time", allowed: allowed)
            return nil
        }
        return time
    }

    /// One of the raw values of `T`.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type, required: Bool = true) -> T?
    where T.RawValue == String {
        func allowed() -> String { T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") }
        guard let text = string(name, required: required, allowed: allowed()) else { return nil }
        guard let choice = T(rawValue: text) else {
            fail(name, .notAllowed, "\"\(text)\" is not one of the allowed values", allowed: allowed())
            return nil
        }
        return choice
    }

    /// A value read from a string by `parse`, with `allowed` describing the format.
    mutating func parsed<T>(
        _ name: String, required: Bool = true, allowed: @autoclosure () -> String, _ parse: (String) -> T?
    ) -> T? {
        guard let text = string(name, required: required, allowed: allowed()) else { return nil }
        guard let value = parse(text) else {
            fail(name, .invalidFormat, "\"\(text)\" is not in the expected format", allowed: allowed())
            return nil
        }
        return value
    }

    mutating func constituency(_ name: String, required: Bool = true) -> ConstituencyCode? {
        parsed(name, required: required, allowed: ConstituencyCode.allowed) { ConstituencyCode($0) }
    }

    mutating func station(_ name: String, required: Bool = true) -> StationCode? {
        parsed(name, required: required, allowed: StationCode.allowed) { StationCode($0) }
    }

    mutating func candidate(_ name: String, required: Bool = true) -> CandidateID? {
        parsed(name, required: required, allowed: CandidateID.allowed) { CandidateID($0) }
    }

    mutating func party(_ name: String, required: Bool = true) -> String? {
        parsed(name, required: required, allowed: PartyRule.allowed) { PartyRule.isValid($0) ? $0 : nil }
    }

    mutating func device(_ name: String, required: Bool = true) -> DeviceID? {
        parsed(name, required: required, allowed: "20 lowercase hexadecimal digits") { text in
            text == "server" ? nil : DeviceID(text)
        }
    }

    mutating func publicKey(_ name: String, required: Bool = true) -> PublicKey? {
        parsed(name, required: required, allowed: "base64url without padding of a 32-byte Ed25519 public key") {
            PublicKey(base64URL: $0)
        }
    }

    mutating func eventID(_ name: String, required: Bool = true) -> EventID? {
        parsed(name, required: required, allowed: "a UUID in lowercase 8-4-4-4-12 form") { EventID($0) }
    }

    mutating func digest(_ name: String, required: Bool = true) -> SHA256Digest? {
        parsed(name, required: required, allowed: "64 lowercase hexadecimal digits (SHA-256)") { SHA256Digest(hex: $0) }
    }

    /// The size of a photo in bytes: an integer from 1 to ``PhotoType/maximumBytes``.
    mutating func photoSize(_ name: String, required: Bool = true) -> Int? {
        let allowed = "an integer from 1 to \(PhotoType.maximumBytes) (8 MiB)"
        guard let value = value(name, required: required, allowed: allowed) else { return nil }
        guard case .integer(let size) = value else {
            wrongType(name, value, expected: "an integer", allowed: allowed)
            return nil
        }
        guard size >= 1, size <= PhotoType.maximumBytes else {
            fail(name, .outOfRange, "\(size) is out of range", allowed: allowed)
            return nil
        }
        return Int(size)
    }

    /// An array of distinct strings, each read by `parse`: at most `maximumCount`, at least
    /// `minimumCount`. The order is the writer's; readers treat the array as a set.
    mutating func list<T: Hashable>(
        _ name: String, minimumCount: Int = 0, maximumCount: Int, required: Bool = true,
        allowed: @autoclosure () -> String, _ parse: (String) -> T?
    ) -> [T]? {
        let described = "an array of \(minimumCount) to \(maximumCount) distinct strings, each \(allowed())"
        guard let value = value(name, required: required, allowed: described) else { return nil }
        guard case .array(let elements) = value else {
            wrongType(name, value, expected: "an array", allowed: described)
            return nil
        }
        guard (minimumCount...maximumCount).contains(elements.count) else {
            fail(name, .outOfRange, "\(elements.count) elements", allowed: described)
            return nil
        }
        var items = [T]()
        var seen = Set<T>()
        var failed = false
        for (index, element) in elements.enumerated() {
            let field = "\(name)[\(index)]"
            guard case .string(let text) = element else {
                fail(field, .wrongType, "expected a string, found \(element.kindDescription)", allowed: allowed())
                failed = true
                continue
            }
            guard let item = parse(text) else {
                fail(field, .invalidFormat, "\"\(text)\" is not in the expected format", allowed: allowed())
                failed = true
                continue
            }
            guard seen.insert(item).inserted else {
                fail(field, .duplicate, "\"\(text)\" is listed twice", allowed: "each value once")
                failed = true
                continue
            }
            items.append(item)
        }
        return failed ? nil : items
    }

    /// A nested object, read with its own reader whose errors end up in this one's.
    mutating func object<T>(
        _ name: String, required: Bool = true, _ body: (inout ObjectReader) -> T?
    ) -> T? {
        guard let value = value(name, required: required, allowed: "an object") else { return nil }
        var nestedErrors = [FieldError]()
        guard var nested = ObjectReader(value, at: field(name), errors: &nestedErrors) else {
            errors += nestedErrors
            return nil
        }
        let result = body(&nested)
        nested.finish(into: &nestedErrors)
        errors += nestedErrors
        return nestedErrors.isEmpty ? result : nil
    }
}

/// Counts: integers from 0 to 2^53 − 1.
enum CountRule {
    static let allowed = "an integer from 0 to 9007199254740991"

    struct Failure: Error {
        var code: FieldError.Code
        var problem: String
    }

    static func check(_ value: JSONValue) -> Result<Int, Failure> {
        guard case .integer(let integer) = value else {
            return .failure(Failure(code: .wrongType, problem: "expected an integer, found \(value.kindDescription)"))
        }
        guard integer >= 0 else {
            return .failure(Failure(code: .outOfRange, problem: "\(integer) is negative"))
        }
        return .success(Int(integer))
    }
}

enum TimeRule {
    static let allowed = "an RFC 3339 time with an offset, such as 2024-02-08T08:00:00+05:00"
}

/// Party codes such as `MQM-P`, `PPP`, `PML-N`: 1 to 32 ASCII letters, digits and hyphens, starting
/// with a letter.
enum PartyRule {
    static let allowed = "a party code of 1 to 32 ASCII letters, digits and hyphens, starting with a letter"

    static func isValid(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard (1...32).contains(utf8.count), utf8[0].isASCIILetter else { return false }
        return utf8.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == UInt8(ascii: "-") }
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isASCIILowercase: Bool { self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z") }
    var isASCIILetter: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
    }
}
