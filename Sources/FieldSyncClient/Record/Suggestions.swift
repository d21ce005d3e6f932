/// The nearest known codes to a mistyped one. Pure.
///
/// Nearness is an edit distance ignoring case in which swapping two neighbouring characters costs half
/// of any other edit (inserting, deleting or changing one character): a swap is the commonest slip on a
/// keyboard, so `NA-253-001` suggests `NA-235-001` before `NA-253-011`.
public enum Suggestions {
    /// Up to `limit` of `candidates` closest to `typed`, nearest first (ties in the candidates' order),
    /// among those within a distance that grows with the length typed; an exact match is left out.
    public static func nearest(to typed: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let target = Array(typed.uppercased().utf8)
        guard !target.isEmpty else { return [] }
        // In half edits: two edits, or a third of the length for long codes.
        let tolerance = 2 * max(2, target.count / 3)
        var scored = [(distance: Int, order: Int, text: String)]()
        for (order, candidate) in candidates.enumerated() {
            let other = Array(candidate.uppercased().utf8)
            if other == target { continue }
            var distance = Self.distance(target, other, limit: tolerance)
            if distance > tolerance, other.count > target.count, other.starts(with: target), target.count >= 3 {
                distance = tolerance
            }
            if distance <= tolerance { scored.append((distance, order, candidate)) }
        }
        scored.sort { ($0.distance, $0.order) < ($1.distance, $1.order) }
        return scored.prefix(limit).map(\.text)
    }

    /// The distance between two byte strings in half edits (optimal string alignment: insertions,
    /// deletions and changes cost 2, a swap of neighbours 1), or anything above `limit` once it is sure to
    /// exceed it.
    public static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int = .max) -> Int {
        if limit != .max && 2 * abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return 2 * b.count }
        if b.isEmpty { return 2 * a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = (0...b.count).map { 2 * $0 }
        var current = [Int](repeating: 0, count: b.count + 1)
        var previousMinimum = 0
        for i in 1...a.count {
            current[0] = 2 * i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let change = a[i - 1] == b[j - 1] ? 0 : 2
                var best = min(previous[j] + 2, current[j - 1] + 2, previous[j - 1] + change)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1], a[i - 1] != b[j - 1] {
                    best = min(best, before[j - 2] + 1)
                }
                current[j] = best
                rowMinimum = min(rowMinimum, best)
            }
            // A swap reaches back two rows: stop only once two rows in a row are past the limit.
            if limit != .max, rowMinimum > limit, previousMinimum > limit { return limit + 1 }
            previousMinimum = rowMinimum
            (before, previous, current) = (previous, current, before)
        }
        return limit != .max && previous[b.count] > limit ? limit + 1 : previous[b.count]
    }
}
