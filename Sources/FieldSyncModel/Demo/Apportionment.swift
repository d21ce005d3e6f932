/// Splitting a whole number into parts proportional to weights, exactly (largest remainder).
enum Apportionment {
    /// Parts of `total`, one per weight, summing exactly to `total`, each at least `minimum`.
    /// Ties of remainders go to the earlier part, so the result is deterministic.
    static func split(_ total: Int, weights: [Double], minimum: Int = 0) -> [Int] {
        precondition(!weights.isEmpty && total >= minimum * weights.count, "not enough to give every part its minimum")
        let free = total - minimum * weights.count
        let sum = weights.reduce(0, +)
        let shares = weights.map { Double(free) * $0 / sum }
        var parts = shares.map { Int($0) }
        let order = shares.indices.sorted {
            let a = shares[$0] - Double(parts[$0])
            let b = shares[$1] - Double(parts[$1])
            return a != b ? a > b : $0 < $1
        }
        var left = free - parts.reduce(0, +)
        var index = 0
        while left > 0 {
            parts[order[index % order.count]] += 1
            left -= 1
            index += 1
        }
        return parts.map { $0 + minimum }
    }
}
