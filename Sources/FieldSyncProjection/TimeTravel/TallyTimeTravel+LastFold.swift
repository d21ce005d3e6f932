import FieldSyncModel
import FieldSyncStore
import FieldSyncTally
import ServiceLifecycle
import Synchronization

extension TallyTimeTravel {
    /// The last fold station by station, before any station was loaded into it, and what it was of: a
    /// cutoff over the log up to a position. The same cutoff over the same log folds to the same tallies
    /// (the log only grows, and the bound is part of the key), so the next request for it loads only
    /// the stations it asks for. An auditor comparing a replay with the server asks for every seat and
    /// every station at one cutoff: one fold, then a station's events a request.
    ///
    /// One fold is kept, and not for long: it holds the reference data and the seats' sums again beside
    /// the projector's, so as a service (`fieldsync serve` runs it) it forgets a fold no request has used
    /// for ``keptFor``.
    public final class LastFold: Service, Sendable {
        struct Key: Hashable, Sendable {
            var cutoff: TallyCutoff
            var bound: Int64
        }

        private struct Kept {
            var key: Key
            var tally: ElectionTally
            var used: ContinuousClock.Instant
        }

        /// How long a fold no request uses is kept.
        public let keptFor: Duration
        private let kept = Mutex<Kept?>(nil)

        public init(keptFor: Duration = .seconds(30)) {
            self.keptFor = keptFor
        }

        func tally(for key: Key) -> ElectionTally? {
            kept.withLock { kept in
                guard kept?.key == key else { return nil }
                kept?.used = .now
                return kept?.tally
            }
        }

        func remember(_ tally: ElectionTally, for key: Key) {
            kept.withLock { $0 = Kept(key: key, tally: tally, used: .now) }
        }

        /// Forgets the fold if no request has used it for ``keptFor``; says whether one is still kept.
        @discardableResult
        public func forgetIfUnused() -> Bool {
            kept.withLock { kept in
                if let used = kept?.used, ContinuousClock.now - used >= keptFor { kept = nil }
                return kept != nil
            }
        }

        /// Forgets an unused fold every tenth of ``keptFor`` until the service group shuts down.
        public func run() async {
            await cancelWhenGracefulShutdown {
                while (try? await Task.sleep(for: self.keptFor / 10)) != nil { self.forgetIfUnused() }
            }
        }
    }
}
