import FieldSyncModel
import FieldSyncProjection
import FieldSyncStore
import FieldSyncTally

/// The data of one `tallies` live event, in its two forms: `{after, city, constituencies, districts,
/// position, stations, whole}`, where `stations` lists the codes of the stations that changed and the
/// seats, districts and city that changed are given
///
/// - in ``members`` (`whole` false), as only their members that changed since the previous event, for a
///   client whose documents are as of `after`; a document with no member changed is left out;
/// - in ``whole`` (`whole` true), as the documents themselves, as stored, for a client whose documents
///   are as of a position between `after` and `position`.
struct LiveChanges: Sendable {
    let members: DocumentAnswer
    let whole: DocumentAnswer

    /// The changes `changed` holds (read after `after`, as of its position), compared with what the
    /// previous events sent (`baseline`, which moves to this event).
    init(_ changed: TallySnapshot, after: Int64, baseline: inout LiveBaseline) throws {
        var members: [TallyRow.Kind: [String: DocumentAnswer]] = [:]
        var whole: [TallyRow.Kind: [String: DocumentAnswer]] = [:]
        var stations: [String] = []
        for document in changed.documents {
            guard document.kind != .station else {
                stations.append(document.key)
                continue
            }
            whole[document.kind, default: [:]][document.key] = .stored(document.bytes)
            let changedMembers = try baseline.changedMembers(of: document)
            if !changedMembers.isEmpty {
                members[document.kind, default: [:]][document.key] = .value(.object(changedMembers))
            }
        }
        stations.sort(by: CanonicalJSON.precedesInUTF16Order)
        func data(_ documents: [TallyRow.Kind: [String: DocumentAnswer]], whole: Bool) -> DocumentAnswer {
            .object([
                "after": .value(.integer(after)), "position": .value(.integer(changed.position)),
                "whole": .value(.bool(whole)), "stations": .value(.array(stations.map { .string($0) })),
                "constituencies": .object(documents[.constituency] ?? [:]),
                "districts": .object(documents[.district] ?? [:]),
                "city": documents[.city]?["city"] ?? .value(.null),
            ])
        }
        self.members = data(members, whole: false)
        self.whole = data(whole, whole: true)
    }
}
