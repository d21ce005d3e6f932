import FieldSyncModel
import FieldSyncTally
import Synchronization

extension TallyTimeTravel {
    /// The last fold station by station, before any station was loaded into it, and what it was of: a
    /// cutoff over the log up to a position. The same cutoff over the same log folds to the same tallies
    /// (the log only grows, and the bound is part of the key), so the next request for it loads only
    /// the stations it asks for. An auditor comparing a replay with the server asks for every seat and
    /// every station at one cutoff: one fold, then a station's events a request.
    ///
    /// One fold is kept, not more: its memory is that of the reference data and the seats' sums.
    public final class LastFold: Sendable {
        struct Key: Hashable, Sendable {
            var cutoff: TallyCutoff
            var bound: Int64
        }

        private let last = Mutex<(key: Key, tally: ElectionTally)?>(nil)

        public init() {}

        func tally(for key: Key) -> ElectionTally? {
            last.withLock { last in last?.key == key ? last?.tally : nil }
        }

        func remember(_ tally: ElectionTally, for key: Key) {
            last.withLock { $0 = (key, tally) }
        }
    }
}
