/// `fieldsync.result.reported.v1`: the Form-45 "Result of the Count" of one polling station for
/// one of its two seats, as a reporter copied it.
///
/// Rules without the reference data: the candidates' votes plus `rejected` equal `totalCast`, and
/// `totalCast` is at most `registeredVoters`. With it (see ``EventValidator``): one entry for every
/// candidate standing in `constituency` and no other.
public struct Form45Result: ReadablePayload {
    public static let eventType = EventType.resultReported

    /// The seat this Form-45 is for: the station's NA or PS seat.
    public var constituency: ConstituencyCode
    /// Registered voters as printed on the form.
    public var registeredVoters: Int
    /// Valid votes per candidate.
    public var votes: [CandidateID: Int]
    /// Rejected ballots.
    public var rejected: Int
    /// All ballots cast: valid votes plus rejected.
    public var totalCast: Int
    /// SHA-256 of a photo of the signed form, if one was taken.
    public var photoSha256: SHA256Digest?
    /// The photo's number of bytes: written together with ``photoType``, only beside ``photoSha256``.
    /// Absent in events written before photos were uploaded.
    public var photoSize: Int?
    /// The photo's media type: written together with ``photoSize``.
    public var photoType: PhotoType?

    public init(
        constituency: ConstituencyCode, registeredVoters: Int, votes: [CandidateID: Int], rejected: Int,
        totalCast: Int, photoSha256: SHA256Digest? = nil, photoSize: Int? = nil, photoType: PhotoType? = nil
    ) {
        self.constituency = constituency
        self.registeredVoters = registeredVoters
        self.votes = votes
        self.rejected = rejected
        self.totalCast = totalCast
        self.photoSha256 = photoSha256
        self.photoSize = photoSize
        self.photoType = photoType
    }

    /// The photo behind the figures, if the reporter took one.
    public var photo: PhotoReference? {
        get { photoSha256.map { PhotoReference(sha256: $0, size: photoSize, type: photoType) } }
        set {
            photoSha256 = newValue?.sha256
            photoSize = newValue?.size
            photoType = newValue?.type
        }
    }

    /// The sum of the candidates' votes.
    public var validVotes: Int { votes.values.reduce(0, +) }

    init?(reading reader: inout ObjectReader) {
        let constituency = reader.constituency("constituency")
        let registeredVoters = reader.count("registeredVoters")
        let votes = reader.votes("votes")
        let rejected = reader.count("rejected")
        let totalCast = reader.count("totalCast")
        let photoSha256 = reader.digest("photoSha256", required: false)
        let photoSize = reader.photoSize("photoSize", required: false)
        let photoType = reader.choice("photoType", PhotoType.self, required: false)
        Self.checkPhotoMembers(sha256: photoSha256, size: photoSize, type: photoType, reader: &reader)
        reader.checkTotal("totalCast", votes: votes, rejected: rejected, totalCast: totalCast)
        if let totalCast, let registeredVoters, totalCast > registeredVoters {
            reader.fail(
                "totalCast", .aboveRegistered, "\(totalCast) is more than the \(registeredVoters) registered voters",
                allowed: "at most registeredVoters")
        }
        guard let constituency, let registeredVoters, let votes, let rejected, let totalCast, reader.errors.isEmpty
        else { return nil }
        self.init(
            constituency: constituency, registeredVoters: registeredVoters, votes: votes, rejected: rejected,
            totalCast: totalCast, photoSha256: photoSha256, photoSize: photoSize, photoType: photoType)
    }

    /// `photoSize` and `photoType` come together, and only beside `photoSha256`.
    private static func checkPhotoMembers(
        sha256: SHA256Digest?, size: Int?, type: PhotoType?, reader: inout ObjectReader
    ) {
        let allowed = "photoSize and photoType together, beside photoSha256"
        if sha256 == nil && reader.object["photoSha256"] == nil {
            for name in ["photoSize", "photoType"] where reader.object[name] != nil {
                reader.fail(name, .notAllowed, "given without photoSha256", allowed: allowed)
            }
        }
        if (reader.object["photoSize"] == nil) != (reader.object["photoType"] == nil) {
            let missing = reader.object["photoSize"] == nil ? "photoSize" : "photoType"
            reader.fail(missing, .missingMember, "missing beside the other photo member", allowed: allowed)
        }
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "constituency": .string(constituency.rawValue), "registeredVoters": .integer(Int64(registeredVoters)),
            "votes": .object(
                Dictionary(uniqueKeysWithValues: votes.map { ($0.key.rawValue, .integer(Int64($0.value))) })),
            "rejected": .integer(Int64(rejected)), "totalCast": .integer(Int64(totalCast)),
        ]
        if let photoSha256 { object["photoSha256"] = .string(photoSha256.hex) }
        if let photoSize { object["photoSize"] = .integer(Int64(photoSize)) }
        if let photoType { object["photoType"] = .string(photoType.rawValue) }
        return .object(object)
    }
}
