extension ObjectReader {
    /// A `votes` object: candidate id → count of valid votes, at least one member. Used by every form of a
    /// count (a reporter's Form-45, the commission's Form-45, 47 and 49).
    mutating func votes(_ name: String) -> [CandidateID: Int]? {
        object(name) { nested in
            var votes = [CandidateID: Int]()
            for key in nested.object.keys {
                guard let candidate = CandidateID(key) else {
                    _ = nested.value(key, allowed: "")
                    nested.fail(key, .invalidFormat, "\"\(key)\" is not a candidate id", allowed: CandidateID.allowed)
                    continue
                }
                if let count = nested.count(key) { votes[candidate] = count }
            }
            if nested.object.isEmpty {
                nested.fail("", .empty, "no candidate listed", allowed: "one entry for every candidate standing")
            }
            return votes
        }
    }

    /// Fails `totalName` with `totals-mismatch` unless the votes plus `rejected` are `totalCast`.
    mutating func checkTotal(_ totalName: String, votes: [CandidateID: Int]?, rejected: Int?, totalCast: Int?) {
        guard let votes, let rejected, let totalCast else { return }
        let valid = votes.values.reduce(0, +)
        if valid + rejected != totalCast {
            fail(
                totalName, .totalsMismatch,
                "\(totalCast) is not the candidates' votes \(valid) + rejected \(rejected) = \(valid + rejected)",
                allowed: "the sum of all candidates' votes plus rejected")
        }
    }
}
