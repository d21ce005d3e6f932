import FieldSyncModel

/// Reads the members of a small JSON request body, collecting every problem as a ``FieldError`` and
/// refusing members it was not asked about.
struct RequestMembers {
    private let object: [String: JSONValue]
    private var read = Set<String>()
    private(set) var errors = [FieldError]()

    init(_ object: [String: JSONValue]) {
        self.object = object
    }

    /// A string member; nil (with an error if `required`) when missing or not a string.
    mutating func string(_ name: String, required: Bool, allowed: String) -> String? {
        member(name, required: required, allowed: allowed, expected: "a string") {
            if case .string(let text) = $0 { text } else { nil }
        }
    }

    /// An integer member; nil when missing (with an error if `required`) or not an integer.
    mutating func integer(_ name: String, required: Bool, allowed: String) -> Int64? {
        member(name, required: required, allowed: allowed, expected: "an integer") {
            if case .integer(let integer) = $0 { integer } else { nil }
        }
    }

    /// An array of strings; nil when missing (with an error if `required`) or not an array of strings.
    mutating func strings(_ name: String, required: Bool, allowed: String) -> [String]? {
        member(name, required: required, allowed: allowed, expected: "an array of strings") { json in
            guard case .array(let elements) = json else { return nil }
            let strings = elements.compactMap(\.stringValue)
            return strings.count == elements.count ? strings : nil
        }
    }

    /// An array member; nil when missing (with an error if `required`) or not an array.
    mutating func array(_ name: String, required: Bool, allowed: String) -> [JSONValue]? {
        member(name, required: required, allowed: allowed, expected: "an array") { $0.arrayValue }
    }

    /// A member read by `value`, which gives nil when the member has another JSON type than `expected`.
    private mutating func member<Value>(
        _ name: String, required: Bool, allowed: String, expected: String, _ value: (JSONValue) -> Value?
    ) -> Value? {
        read.insert(name)
        guard let json = object[name] else {
            if required {
                errors.append(
                    FieldError(field: name, code: .missingMember, problem: "\(name) is missing", allowed: allowed))
            }
            return nil
        }
        guard let read = value(json) else {
            errors.append(
                FieldError(
                    field: name, code: .wrongType, problem: "expected \(expected), found \(json.kindDescription)",
                    allowed: allowed))
            return nil
        }
        return read
    }

    mutating func fail(_ name: String, _ code: FieldError.Code, _ problem: String, allowed: String) {
        errors.append(FieldError(field: name, code: code, problem: problem, allowed: allowed))
    }

    /// Adds an error for each member not read, and throws `invalid-request` with every error, if any.
    mutating func finish() throws {
        for name in object.keys.sorted() where !read.contains(name) {
            errors.append(
                FieldError(
                    field: name, code: .unknownMember, problem: "\(name) is not a member of this request",
                    allowed: read.sorted().joined(separator: ", ")))
        }
        guard let first = errors.first else { return }
        throw Problem(
            .invalidRequest,
            errors.count == 1
                ? "\(first.field): \(first.problem)" : "\(errors.count) problems: \(first.field): \(first.problem)…",
            errors: errors)
    }
}
