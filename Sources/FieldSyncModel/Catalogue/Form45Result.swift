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
        let photo = reader.photo(detailsRequired: false)
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
            totalCast: totalCast, photoSha256: photo?.sha256, photoSize: photo?.size, photoType: photo?.type)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "constituency": .string(constituency.rawValue), "registeredVoters": .integer(Int64(registeredVoters)),
            "votes": .object(
                Dictionary(uniqueKeysWithValues: votes.map { ($0.key.rawValue, .integer(Int64($0.value))) })),
            "rejected": .integer(Int64(rejected)), "totalCast": .integer(Int64(totalCast)),
        ]
        photo?.addMembers(to: &object)
        return .object(object)
    }
}
