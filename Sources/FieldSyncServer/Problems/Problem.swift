import FieldSyncModel
import Hummingbird

/// A failure answered as `application/problem+json` (RFC 9457), written through the shared
/// ``ProblemDetails``: `{"type": "urn:fieldsync:problem:<kind>", "title", "status", "detail", "errors"?, …}`.
///
/// Every failure the API reports has a stable ``Kind``; programs match on the `type`, people read
/// `detail`. `errors` lists field-level problems in the model's ``FieldError`` shape; a kind may add
/// extension members of its own (RFC 9457 §3.2): a refused batch's `results`, `retryAfter`, `expired`.
public struct Problem: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var kind: Kind
    /// What went wrong in this case, in a sentence.
    public var detail: String
    public var errors: [FieldError]
    /// `batch-invalid`: each event's result, as a 200 answer would give it.
    public var results: [PushResult] = []
    /// The limits' answers: the seconds to wait, also sent as `Retry-After`.
    public var retryAfter: Int64?
    /// `token-expired`: when the token stopped working.
    public var expired: Timestamp?
    /// The photos' problems: which photo, and what of it.
    public var photo: ProblemDetails.PhotoMembers?
    /// `beyond-tree-head`: the size of the latest signed tree head.
    public var treeSize: Int64?
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
    public var type: String { kind.type.urn }

    /// The document sent.
    public var details: ProblemDetails {
        ProblemDetails(
            kind.type, title: kind.title, status: kind.status.code, detail: detail, errors: errors, results: results,
            retryAfter: retryAfter, expired: expired, photo: photo, treeSize: treeSize)
    }

    public var jsonValue: JSONValue { details.jsonValue }

    public var description: String { "\(kind.name): \(detail)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(jsonValue, status: status, contentType: "application/problem+json")
        response.headers.append(contentsOf: headers)
        return response
    }

    /// A kind of failure: its ``ProblemType`` (the slug in the `type` URN), its status and its title.
    public struct Kind: Hashable, Sendable {
        public let type: ProblemType
        public let status: HTTPResponse.Status
        public let title: String

        /// The slug: `device-revoked`.
        public var name: String { type.rawValue }

        /// Every problem type's status and title, in one switch: a new type does not compile until it has both.
        init(_ type: ProblemType) {
            self.type = type
            switch type {
            case .unauthorized: (status, title) = (.unauthorized, "Credentials are missing or unknown")
            case .forbidden: (status, title) = (.forbidden, "The device's role does not allow this")
            case .deviceRevoked: (status, title) = (.forbidden, "The device was revoked")
            case .tokenExpired: (status, title) = (.unauthorized, "The device's token has expired")
            case .notFound: (status, title) = (.notFound, "Nothing is here")
            case .methodNotAllowed: (status, title) = (.methodNotAllowed, "The method is not allowed on this path")
            case .invalidJSON: (status, title) = (.badRequest, "The body is not valid JSON")
            case .invalidRequest: (status, title) = (.badRequest, "The request is not valid")
            case .batchTooLarge: (status, title) = (.contentTooLarge, "The batch has too many events")
            case .bodyTooLarge: (status, title) = (.contentTooLarge, "The request body is too large")
            case .batchInvalid: (status, title) = (.unprocessableContent, "No event of the batch can be stored")
            case .unsupportedMediaType:
                (status, title) = (.unsupportedMediaType, "The body's media type is not accepted here")
            case .enrollmentCodeUnknown: (status, title) = (.forbidden, "The enrollment code is not known")
            case .enrollmentCodeExpired: (status, title) = (.gone, "The enrollment code has expired")
            case .enrollmentCodeUsed: (status, title) = (.conflict, "The enrollment code was already used")
            case .keyAlreadyEnrolled: (status, title) = (.conflict, "This public key is already enrolled")
            case .deviceNotEnrolled: (status, title) = (.notFound, "No device with this id is enrolled")
            case .alreadyRevoked: (status, title) = (.conflict, "The device is already revoked")
            case .enrollmentThrottled:
                (status, title) = (.tooManyRequests, "Too many wrong enrollment codes; wait before trying again")
            case .unavailable: (status, title) = (.serviceUnavailable, "The database cannot be reached")
            case .replaysBusy:
                (status, title) = (.serviceUnavailable, "Too many tallies as of a past moment are being computed")
            case .exportsBusy: (status, title) = (.serviceUnavailable, "Too many exports of the log are being sent")
            case .pushRateLimited:
                (status, title) = (.tooManyRequests, "The device pushes events faster than the server takes them")
            case .tooManyLiveStreams: (status, title) = (.tooManyRequests, "The device has too many live streams open")
            case .liveStreamsFull:
                (status, title) = (.serviceUnavailable, "The server holds as many live streams as it serves")
            case .photoNotNamed: (status, title) = (.conflict, "No stored event names this photo")
            case .photoMismatch:
                (status, title) = (.unprocessableContent, "The photo is not what its hash or its event says")
            case .photoTooLarge: (status, title) = (.contentTooLarge, "The photo is too large")
            case .photoTypeUnsupported:
                (status, title) = (.unsupportedMediaType, "The photo is neither a JPEG nor a PNG")
            case .photoUploadOffset:
                (status, title) = (.conflict, "The piece does not start where the bytes held end")
            case .photoUploadsBusy:
                (status, title) = (.serviceUnavailable, "Too many photos are being uploaded at once")
            case .beyondTreeHead: (status, title) = (.notFound, "No signed tree head covers this size")
            case .bundleMalformed: (status, title) = (.unprocessableContent, "The body is not a bundle")
            case .bundleTruncated: (status, title) = (.unprocessableContent, "The bundle is cut short")
            case .bundleTampered:
                (status, title) = (.unprocessableContent, "The bundle's bytes are not those its manifest describes")
            case .bundleChainBroken:
                (status, title) = (.unprocessableContent, "A device's events in the bundle do not follow on")
            case .bundleForeign:
                (status, title) = (
                    .unprocessableContent, "The bundle holds events of a device this server does not know"
                )
            case .bundleEventsInvalid: (status, title) = (.unprocessableContent, "An event of the bundle is not valid")
            case .bundleConflict:
                (status, title) = (.conflict, "An event of the bundle contradicts what the server holds")
            case .witnessUnknown: (status, title) = (.forbidden, "The witness's key is not registered")
            case .cosignatureInvalid: (status, title) = (.unprocessableContent, "The cosignature is not valid")
            case .treeHeadUnknown: (status, title) = (.conflict, "The server signed no such tree head")
            case .internalError: (status, title) = (.internalServerError, "The server failed")
            }
        }

        public static let unauthorized = Kind(.unauthorized)
        public static let forbidden = Kind(.forbidden)
        public static let deviceRevoked = Kind(.deviceRevoked)
        /// A token past its lifetime (`fieldsync admin enroll --expires`); the problem's `expired` says when.
        public static let tokenExpired = Kind(.tokenExpired)
        public static let notFound = Kind(.notFound)
        public static let methodNotAllowed = Kind(.methodNotAllowed)
        public static let invalidJSON = Kind(.invalidJSON)
        public static let invalidRequest = Kind(.invalidRequest)
        public static let batchTooLarge = Kind(.batchTooLarge)
        public static let bodyTooLarge = Kind(.bodyTooLarge)
        /// A batch none of whose events can be stored: every one is invalid. Refused whole, with each
        /// event's result in the problem's `results`.
        public static let batchInvalid = Kind(.batchInvalid)
        public static let unsupportedMediaType = Kind(.unsupportedMediaType)
        public static let enrollmentCodeUnknown = Kind(.enrollmentCodeUnknown)
        public static let enrollmentCodeExpired = Kind(.enrollmentCodeExpired)
        public static let enrollmentCodeUsed = Kind(.enrollmentCodeUsed)
        public static let keyAlreadyEnrolled = Kind(.keyAlreadyEnrolled)
        public static let deviceNotEnrolled = Kind(.deviceNotEnrolled)
        public static let alreadyRevoked = Kind(.alreadyRevoked)
        /// Too many wrong enrollment codes from one address, or from all (see
        /// `ServerConfiguration.enrollmentAttempts`); answered with `Retry-After`.
        public static let enrollmentThrottled = Kind(.enrollmentThrottled)
        public static let unavailable = Kind(.unavailable)
        /// Every slot for tallies as of a past moment is taken (see `ServerConfiguration.maximumConcurrentReplays`).
        public static let replaysBusy = Kind(.replaysBusy)
        /// Every slot for exports of the log is taken (see `ServerConfiguration.maximumConcurrentExports`).
        public static let exportsBusy = Kind(.exportsBusy)
        /// The device pushed more events than its rate allows (see `ServerConfiguration.pushEventsPerSecond`).
        public static let pushRateLimited = Kind(.pushRateLimited)
        /// The device has as many live streams open as one device may (see
        /// `ServerConfiguration.maximumLiveStreamsPerDevice`).
        public static let tooManyLiveStreams = Kind(.tooManyLiveStreams)
        /// The server holds as many live streams as it serves (see `ServerConfiguration.maximumLiveStreams`).
        public static let liveStreamsFull = Kind(.liveStreamsFull)
        /// A photo uploaded before any stored event names it: push the events first.
        public static let photoNotNamed = Kind(.photoNotNamed)
        /// A photo whose bytes, size or type are not what its name (the hash) or its event says; the
        /// problem's `differs` names which.
        public static let photoMismatch = Kind(.photoMismatch)
        /// A photo larger than the protocol's limit (8 MiB).
        public static let photoTooLarge = Kind(.photoTooLarge)
        /// A photo neither JPEG nor PNG, by its stated type or its first bytes.
        public static let photoTypeUnsupported = Kind(.photoTypeUnsupported)
        /// A piece of an upload that does not start where the bytes held end; the problem's `held` says
        /// where to go on from.
        public static let photoUploadOffset = Kind(.photoUploadOffset)
        /// Every slot for photo uploads is taken (see `ServerConfiguration.maximumConcurrentPhotoUploads`).
        public static let photoUploadsBusy = Kind(.photoUploadsBusy)
        public static let internalError = Kind(.internalError)
        /// The bundles' refusals (`POST /v1/bundles`): nothing of a refused bundle is stored, and the detail
        /// names the device and the seq at fault.
        public static let bundleMalformed = Kind(.bundleMalformed)
        public static let bundleTruncated = Kind(.bundleTruncated)
        public static let bundleTampered = Kind(.bundleTampered)
        public static let bundleChainBroken = Kind(.bundleChainBroken)
        public static let bundleForeign = Kind(.bundleForeign)
        public static let bundleEventsInvalid = Kind(.bundleEventsInvalid)
        public static let bundleConflict = Kind(.bundleConflict)
        /// A tree size beyond the latest signed tree head (`GET /v1/tree/inclusion`, `/v1/tree/consistency`);
        /// the problem's `treeSize` is the latest head's size.
        public static let beyondTreeHead = Kind(.beyondTreeHead)
        /// `POST /v1/tree/cosignatures`: the witness's key, an admin registered none such.
        public static let witnessUnknown = Kind(.witnessUnknown)
        /// `POST /v1/tree/cosignatures`: a bad signature, or a cosignature for another server's key.
        public static let cosignatureInvalid = Kind(.cosignatureInvalid)
        /// `POST /v1/tree/cosignatures`: a head this server never signed (no head of that size, or another root).
        public static let treeHeadUnknown = Kind(.treeHeadUnknown)

        /// Every kind, for the OpenAPI document and its test.
        public static let all: [Kind] = ProblemType.allCases.map(Kind.init)
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
            "the token of device \(device) expired at \(expired.rfc3339UTC): ask an admin for a new enrollment code")
        problem.expired = expired
        problem.headers[.wwwAuthenticate] = "Bearer realm=\"fieldsync\", error=\"invalid_token\""
        return problem
    }

    /// A problem that says when to try again: the `Retry-After` header and the `retryAfter` member, in
    /// seconds. Every limit answers so (429 or 503).
    init(_ kind: Kind, _ detail: String, retryAfterSeconds seconds: Int64) {
        self.init(kind, detail)
        retryAfter = seconds
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
