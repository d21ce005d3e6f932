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
    /// It keeps the last reference data a fold started from as well (``Start``): the next request whose
    /// cutoff includes the same reference events, at any position or time, starts from it instead of
    /// folding them again (nationally about 100,000 events, and 90,675 stations derived without facts).
    ///
    /// One fold and one start are kept, and not for long: they hold the reference data and the seats'
    /// sums again beside the projector's, so as a service (`fieldsync serve` runs it) it forgets what no
    /// request has used for ``keptFor``.
    ///
    /// It also keeps, for as long as it lives, the stations with facts up to the last bound a fold station
    /// by station read them for (``ObservedStations``): they only grow with the log.
    public final class LastFold: Service, Sendable {
        struct Key: Hashable, Sendable {
            var cutoff: TallyCutoff
            var bound: Int64
        }

        /// The reference data a fold started from, and the fold holding no station made from it.
        struct Start: Sendable {
            var key: ReferenceKey
            var resumption: ElectionTally.Resumption
            var stationless: ElectionTally?
        }

        private struct Kept {
            var key: Key
            var tally: ElectionTally
            var used: ContinuousClock.Instant
        }

        /// The stations with facts among the events up to `position`. A fold station by station needs
        /// them, and read afresh they are a `DISTINCT` over every event up to its bound (about a second of
        /// a request as of a time over the national day's log); a later bound reads only the events after
        /// this one's. A station code each: about 1.5 MB nationally, kept however long unused.
        struct ObservedStations: Sendable {
            var position: Int64 = 0
            var stations: Set<StationCode> = []
        }

        /// How long a fold no request uses is kept.
        public let keptFor: Duration
        private let kept = Mutex<Kept?>(nil)
        private let start = Mutex<(start: Start, used: ContinuousClock.Instant)?>(nil)
        private let observed = Mutex(ObservedStations())

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

        func start(for key: ReferenceKey) -> Start? {
            start.withLock { kept in
                guard kept?.start.key == key else { return nil }
                kept?.used = .now
                return kept?.start
            }
        }

        /// Keeps `start`, or adds the fold holding no station to the start kept for the same events.
        func remember(_ start: Start) {
            self.start.withLock { kept in
                if start.stationless == nil, kept?.start.key == start.key { return }
                kept = (start, .now)
            }
        }

        /// The stations with facts up to the last bound kept.
        var observedStations: ObservedStations { observed.withLock { $0 } }

        /// Keeps `stations` as those with facts up to their position, unless a later bound's are kept.
        func remember(_ stations: ObservedStations) {
            observed.withLock { if stations.position > $0.position { $0 = stations } }
        }

        /// Forgets the fold and the start if no request has used them for ``keptFor``; says whether either
        /// is still kept.
        @discardableResult
        public func forgetIfUnused() -> Bool {
            let now = ContinuousClock.now
            let fold = kept.withLock { kept in
                if let used = kept?.used, now - used >= keptFor { kept = nil }
                return kept != nil
            }
            let started = start.withLock { kept in
                if let used = kept?.used, now - used >= keptFor { kept = nil }
                return kept != nil
            }
            return fold || started
        }

        /// Forgets an unused fold every tenth of ``keptFor`` until the service group shuts down.
        public func run() async {
            await cancelWhenGracefulShutdown {
                while (try? await Task.sleep(for: self.keptFor / 10)) != nil { self.forgetIfUnused() }
            }
        }
    }
}
