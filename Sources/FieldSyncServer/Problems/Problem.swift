import FieldSyncModel
import Hummingbird

/// A failure answered as `application/problem+json` (RFC 9457):
/// `{"type": "urn:fieldsync:problem:<kind>", "title", "status", "detail", "errors"?}`.
///
/// Every failure the API reports has a stable ``Kind``; programs match on the `type`, people read
/// `detail`. `errors` lists field-level problems in the model's ``FieldError`` shape.
public struct Problem: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var kind: Kind
    /// What went wrong in this case, in a sentence.
    public var detail: String
    public var errors: [FieldError]
    /// Extra response headers, such as `WWW-Authenticate` or `Allow`.
    var headers: HTTPFields

    public init(_ kind: Kind, _ detail: String, errors: [FieldError] = []) {
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.headers = [:]
    }

    public var status: HTTPResponse.Status { kind.status }

    /// `urn:fieldsync:problem:<kind>`.
    public var type: String { Kind.typePrefix + kind.name }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "type": .string(type), "title": .string(kind.title), "status": .integer(Int64(kind.status.code)),
            "detail": .string(detail),
        ]
        if !errors.isEmpty { object["errors"] = .array(errors.map(\.jsonValue)) }
        return .object(object)
    }

    public var description: String { "\(kind.name): \(detail)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(jsonValue, status: status, contentType: "application/problem+json")
        response.headers.append(contentsOf: headers)
        return response
    }

    /// A kind of failure: its name in the `type` URN, its status and its title.
    public struct Kind: Hashable, Sendable {
        public let name: String
        public let status: HTTPResponse.Status
        public let title: String

        static let typePrefix = "urn:fieldsync:problem:"

        init(_ name: String, _ status: HTTPResponse.Status, _ title: String) {
            self.name = name
            self.status = status
            self.title = title
        }

        public static let unauthorized = Kind("unauthorized", .unauthorized, "Credentials are missing or unknown")
        public static let forbidden = Kind("forbidden", .forbidden, "The device's role does not allow this")
        public static let deviceRevoked = Kind("device-revoked", .forbidden, "The device was revoked")
        public static let notFound = Kind("not-found", .notFound, "Nothing is here")
        public static let methodNotAllowed = Kind(
            "method-not-allowed", .methodNotAllowed, "The method is not allowed on this path")
        public static let invalidJSON = Kind("invalid-json", .badRequest, "The body is not valid JSON")
        public static let invalidRequest = Kind("invalid-request", .badRequest, "The request is not valid")
        public static let batchTooLarge = Kind("batch-too-large", .contentTooLarge, "The batch has too many events")
        public static let bodyTooLarge = Kind("body-too-large", .contentTooLarge, "The request body is too large")
        public static let unsupportedMediaType = Kind(
            "unsupported-media-type", .unsupportedMediaType, "The body's media type is not accepted here")
        public static let enrollmentCodeUnknown = Kind(
            "enrollment-code-unknown", .forbidden, "The enrollment code is not known")
        public static let enrollmentCodeExpired = Kind(
            "enrollment-code-expired", .gone, "The enrollment code has expired")
        public static let enrollmentCodeUsed = Kind(
            "enrollment-code-used", .conflict, "The enrollment code was already used")
        public static let keyAlreadyEnrolled = Kind(
            "key-already-enrolled", .conflict, "This public key is already enrolled")
        public static let deviceNotEnrolled = Kind(
            "device-not-enrolled", .notFound, "No device with this id is enrolled")
        public static let alreadyRevoked = Kind("already-revoked", .conflict, "The device is already revoked")
        public static let unavailable = Kind("unavailable", .serviceUnavailable, "The database cannot be reached")
        public static let internalError = Kind("internal", .internalServerError, "The server failed")

        /// Every kind, for the OpenAPI document and its test.
        public static let all: [Kind] = [
            .unauthorized, .forbidden, .deviceRevoked, .notFound, .methodNotAllowed, .invalidJSON, .invalidRequest,
            .batchTooLarge, .bodyTooLarge, .unsupportedMediaType, .enrollmentCodeUnknown, .enrollmentCodeExpired,
            .enrollmentCodeUsed, .keyAlreadyEnrolled, .deviceNotEnrolled, .alreadyRevoked, .unavailable,
            .internalError,
        ]
    }
}

extension Problem {
    /// 401 with the `WWW-Authenticate: Bearer` challenge.
    static func unauthorized(_ detail: String) -> Problem {
        var problem = Problem(.unauthorized, detail)
        problem.headers[.wwwAuthenticate] = "Bearer realm=\"fieldsync\""
        return problem
    }

    /// 405 with the `Allow` header.
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> Problem {
        var problem = Problem(
            .methodNotAllowed,
            "\(method) is not allowed on \(path); allowed: \(allowed.map(\.rawValue).joined(separator: ", "))")
        problem.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return problem
    }

    /// 400 for one bad field of a request.
    static func invalidRequest(field: String, code: FieldError.Code, problem: String, allowed: String) -> Problem {
        Problem(
            .invalidRequest, "\(field): \(problem)",
            errors: [FieldError(field: field, code: code, problem: problem, allowed: allowed)])
    }
}
