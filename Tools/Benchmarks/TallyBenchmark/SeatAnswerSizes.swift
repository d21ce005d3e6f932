import FieldSyncModel
import FieldSyncTally

/// The sizes of the seat answers (`GET /v1/tallies/{seat}`: the seat's document and its stations'
/// summaries) of one fold, each written as ``TallyDocuments`` writes it (the server's bytes for the same
/// events, its closing line feed included), and where the bytes of the largest one go.
struct SeatAnswerSizes {
    /// Each seat's answer, in bytes.
    var bytes: [(seat: ConstituencyCode, bytes: Int)] = []
    /// The largest answer's stations' summaries, member by member (`results.reports` for a member of the
    /// elements of `results`): the bytes of `"name":value` summed over its stations.
    var largestByMember: [(member: String, bytes: Int)] = []

    init(_ tally: ElectionTally) {
        var largest: JSONValue?
        for code in tally.constituencyCodes {
            guard let answer = TallyDocuments.constituency(tally, code, cutoff: nil) else { continue }
            let size = CanonicalJSON.bytes(answer).count + 1
            if size > (bytes.map(\.bytes).max() ?? 0) { largest = answer }
            bytes.append((code, size))
        }
        var byMember: [String: Int] = [:]
        for summary in (largest?["stations"]?.objectValue).map({ Array($0.values) }) ?? [] {
            Self.count(summary, prefix: "", depth: 2, into: &byMember)
        }
        largestByMember = byMember.sorted { $0.value > $1.value }.map { ($0.key, $0.value) }
    }

    var largest: (seat: ConstituencyCode, bytes: Int)? { bytes.max { $0.bytes < $1.bytes } }
    var total: Int { bytes.reduce(0) { $0 + $1.bytes } }

    /// Adds the bytes of each member of `value` (an object, or an array of objects) under `prefix`, and
    /// of their members down to `depth` levels.
    private static func count(_ value: JSONValue, prefix: String, depth: Int, into sizes: inout [String: Int]) {
        guard depth > 0 else { return }
        let objects = value.objectValue.map { [$0] } ?? (value.arrayValue ?? []).compactMap(\.objectValue)
        for object in objects {
            for (name, member) in object {
                let path = prefix.isEmpty ? name : prefix + "." + name
                sizes[path, default: 0] += CanonicalJSON.bytes([name: member]).count - 2
                count(member, prefix: path, depth: depth - 1, into: &sizes)
            }
        }
    }
}
