/// A photo an event of a device names: the first event (by seq) that names it.
public struct NamedPhoto: Sendable, Hashable {
    public var seq: Int64
    public var photo: PhotoReference

    /// The photos `events` name, each once, in their order: a result's, an incident's, and a
    /// correction's replacement's.
    public static func named(in events: [Event]) -> [NamedPhoto] {
        var seen = Set<SHA256Digest>()
        var named: [NamedPhoto] = []
        for event in events {
            guard let photo = photo(of: event.payload), seen.insert(photo.sha256).inserted else { continue }
            named.append(NamedPhoto(seq: event.seq, photo: photo))
        }
        return named
    }

    /// The photo `payload` names, if any.
    public static func photo(of payload: Payload) -> PhotoReference? {
        switch payload {
        case .resultReported(let result): result.photo
        case .incidentObserved(let incident): incident.photo
        case .reportCorrected(let correction):
            if case .replacement(let replacement) = correction.change { photo(of: replacement) } else { nil }
        default: nil
        }
    }
}
