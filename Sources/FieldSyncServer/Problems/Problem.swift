import FieldSyncModel
import Hummingbird

/// A failure answered as `application/problem+json` (RFC 9457):
/// `{"type": "urn:fieldsync:problem:<kind>", "title", "status", "detail", "errors"?, …extensions}`.
///
/// Every failure the API reports has a stable ``Kind``; programs match on the `type`, people read
/// `detail`. `errors` lists field-level problems in the model's ``FieldError`` shape; a kind may add
/// extension members of its own (RFC 9457 §3.2), such as a refused batch's `results`.
public struct Problem: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var kind: Kind
    /// What went wrong in this case, in a sentence.
    public var detail: String
    public var errors: [FieldError]
    /// Extension members written beside the standard ones; they never replace a standard member.
    public var extensions: [String: JSONValue]
    /// Extra response headers, such as `WWW-Authenticate` or `Allow`.
    var headers: HTTPFields

    public init(
        _ kind: Kind, _ detail: String, errors: [FieldError] = [], extensions: [String: JSONValue] = [:]
    ) {
        self.kind = kind
        self.detail = detail
        self.errors = errors
        self.extensions = extensions
        self.headers = [:]
    }

    public var status: HTTPResponse.Status { kind.status }

    /// `urn:fieldsync:problem:<kind>`.
    public var type: String { Kind.typePrefix + kind.name }

    public var jsonValue: JSONValue {
        var object = extensions
        object.merge([
            "type": .string(type), "title": .string(kind.title), "status": .integer(Int64(kind.status.code)),
            "detail": .string(detail),
        ]) { _, standard in standard }
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
        /// A token past its lifetime (`fieldsync admin enroll --expires`); the problem's `expired` says when.
        public static let tokenExpired = Kind("token-expired", .unauthorized, "The device's token has expired")
        public static let notFound = Kind("not-found", .notFound, "Nothing is here")
        public static let methodNotAllowed = Kind(
            "method-not-allowed", .methodNotAllowed, "The method is not allowed on this path")
        public static let invalidJSON = Kind("invalid-json", .badRequest, "The body is not valid JSON")
        public static let invalidRequest = Kind("invalid-request", .badRequest, "The request is not valid")
        public static let batchTooLarge = Kind("batch-too-large", .contentTooLarge, "The batch has too many events")
        public static let bodyTooLarge = Kind("body-too-large", .contentTooLarge, "The request body is too large")
        /// A batch none of whose events can be stored: every one is invalid. Refused whole, with each
        /// event's result in the problem's `results`.
        public static let batchInvalid = Kind(
            "batch-invalid", .unprocessableContent, "No event of the batch can be stored")
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
        /// Too many wrong enrollment codes from one address, or from all (see
        /// `ServerConfiguration.enrollmentAttempts`); answered with `Retry-After`.
        public static let enrollmentThrottled = Kind(
            "enrollment-throttled", .tooManyRequests, "Too many wrong enrollment codes; wait before trying again")
        public static let unavailable = Kind("unavailable", .serviceUnavailable, "The database cannot be reached")
        /// Every slot for tallies as of a past moment is taken (see `ServerConfiguration.maximumConcurrentReplays`).
        public static let replaysBusy = Kind(
            "replays-busy", .serviceUnavailable, "Too many tallies as of a past moment are being computed")
        /// Every slot for exports of the log is taken (see `ServerConfiguration.maximumConcurrentExports`).
        public static let exportsBusy = Kind(
            "exports-busy", .serviceUnavailable, "Too many exports of the log are being sent")
        /// The device pushed more events than its rate allows (see `ServerConfiguration.pushEventsPerSecond`).
        public static let pushRateLimited = Kind(
            "push-rate-limited", .tooManyRequests, "The device pushes events faster than the server takes them")
        /// The device has as many live streams open as one device may (see
        /// `ServerConfiguration.maximumLiveStreamsPerDevice`).
        public static let tooManyLiveStreams = Kind(
            "too-many-live-streams", .tooManyRequests, "The device has too many live streams open")
        /// The server holds as many live streams as it serves (see `ServerConfiguration.maximumLiveStreams`).
        public static let liveStreamsFull = Kind(
            "live-streams-full", .serviceUnavailable, "The server holds as many live streams as it serves")
        public static let internalError = Kind("internal", .internalServerError, "The server failed")
        /// A tree size beyond the latest signed tree head (`GET /v1/tree/inclusion`, `/v1/tree/consistency`);
        /// the problem's `treeSize` is the latest head's size.
        public static let beyondTreeHead = Kind(
            "beyond-tree-head", .notFound, "No signed tree head covers this size")

        /// Every kind, for the OpenAPI document and its test.
        public static let all: [Kind] = [
            .unauthorized, .forbidden, .deviceRevoked, .notFound, .methodNotAllowed, .invalidJSON, .invalidRequest,
            .batchTooLarge, .bodyTooLarge, .batchInvalid, .unsupportedMediaType, .enrollmentCodeUnknown,
            .enrollmentCodeExpired, .enrollmentCodeUsed, .keyAlreadyEnrolled, .deviceNotEnrolled, .alreadyRevoked,
            .unavailable, .replaysBusy, .exportsBusy, .pushRateLimited, .tooManyLiveStreams, .liveStreamsFull,
            .internalError, .tokenExpired, .enrollmentThrottled, .beyondTreeHead,
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

    /// 401 `token-expired`, saying when, with the `WWW-Authenticate: Bearer` challenge.
    static func tokenExpired(_ device: DeviceID, at expired: Timestamp) -> Problem {
        var problem = Problem(
            .tokenExpired,
            "the token of device \(device) expired at \(expired.rfc3339UTC): ask an admin for a new enrollment code",
            extensions: ["expired": .string(expired.rfc3339UTC)])
        problem.headers[.wwwAuthenticate] = "Bearer realm=\"fieldsync\", error=\"invalid_token\""
        return problem
    }

    /// A problem that says when to try again: the `Retry-After` header and the `retryAfter` member, in
    /// seconds. Every limit answers so (429 or 503).
    init(_ kind: Kind, _ detail: String, retryAfterSeconds seconds: Int64) {
        self.init(kind, detail, extensions: ["retryAfter": .integer(seconds)])
        headers[.retryAfter] = String(seconds)
    }

    /// 429 `enrollment-throttled` with `Retry-After`.
    static func enrollmentThrottled(retryAfterSeconds seconds: Int, _ detail: String) -> Problem {
        Problem(.enrollmentThrottled, detail, retryAfterSeconds: Int64(seconds))
    }

    /// 405 with the `Allow` header.
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> Problem {
        var problem = Problem(
            .methodNotAllowed,
            "\(method) is not allowed on \(path); allowed: \(allowed.map(\.rawValue).joined(separator: ", "))")
        problem.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return problem
    }

    /// 400 for one bad field of a request (an empty `field` is the body as a whole).
    static func invalidRequest(field: String, code: FieldError.Code, problem: String, allowed: String) -> Problem {
        Problem(
            .invalidRequest, field.isEmpty ? problem : "\(field): \(problem)",
            errors: [FieldError(field: field, code: code, problem: problem, allowed: allowed)])
    }
}
