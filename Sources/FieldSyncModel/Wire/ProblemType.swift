/// The stable kind of a failure the API answers with `application/problem+json` (RFC 9457): the last
/// part of the problem's `type`, `urn:fieldsync:problem:<slug>`. The server answers with these; clients
/// switch on them. A new kind goes here, in the server's `Problem.Kind` and in `Schema/openapi.yaml`.
public enum ProblemType: String, Sendable, Hashable, CaseIterable {
    case unauthorized
    case forbidden
    case deviceRevoked = "device-revoked"
    case notFound = "not-found"
    case methodNotAllowed = "method-not-allowed"
    case invalidJSON = "invalid-json"
    case invalidRequest = "invalid-request"
    case batchTooLarge = "batch-too-large"
    case bodyTooLarge = "body-too-large"
    case batchInvalid = "batch-invalid"
    case unsupportedMediaType = "unsupported-media-type"
    case enrollmentCodeUnknown = "enrollment-code-unknown"
    case enrollmentCodeExpired = "enrollment-code-expired"
    case enrollmentCodeUsed = "enrollment-code-used"
    case keyAlreadyEnrolled = "key-already-enrolled"
    case deviceNotEnrolled = "device-not-enrolled"
    case alreadyRevoked = "already-revoked"
    case unavailable
    case replaysBusy = "replays-busy"
    case exportsBusy = "exports-busy"
    case pushRateLimited = "push-rate-limited"
    case tooManyLiveStreams = "too-many-live-streams"
    case liveStreamsFull = "live-streams-full"
    case internalError = "internal"
    case tokenExpired = "token-expired"
    case enrollmentThrottled = "enrollment-throttled"
    case photoNotNamed = "photo-not-named"
    case photoMismatch = "photo-mismatch"
    case photoTooLarge = "photo-too-large"
    case photoTypeUnsupported = "photo-type-unsupported"
    case photoUploadOffset = "photo-upload-offset"
    case photoUploadsBusy = "photo-uploads-busy"
    case beyondTreeHead = "beyond-tree-head"
    case bundleMalformed = "bundle-malformed"
    case bundleTruncated = "bundle-truncated"
    case bundleTampered = "bundle-tampered"
    case bundleChainBroken = "bundle-chain-broken"
    case bundleForeign = "bundle-foreign"
    case bundleEventsInvalid = "bundle-events-invalid"
    case bundleConflict = "bundle-conflict"
    case witnessUnknown = "witness-unknown"
    case cosignatureInvalid = "cosignature-invalid"
    case treeHeadUnknown = "tree-head-unknown"

    /// What every problem `type` starts with.
    public static let urnPrefix = "urn:fieldsync:problem:"

    /// `urn:fieldsync:problem:device-revoked`.
    public var urn: String { Self.urnPrefix + rawValue }

    /// The kind named by a problem's `type`; nil for a type that is not one of ours (another server, or a
    /// newer one).
    public init?(urn: String) {
        guard urn.hasPrefix(Self.urnPrefix) else { return nil }
        self.init(rawValue: String(urn.dropFirst(Self.urnPrefix.count)))
    }

    /// The one-time enrollment code was refused: unknown, expired or used.
    public var refusesEnrollmentCode: Bool {
        switch self {
        case .enrollmentCodeUnknown, .enrollmentCodeExpired, .enrollmentCodeUsed: true
        default: false
        }
    }
}
