import FieldSyncClient
import FieldSyncModel
import Foundation

/// What every `record` subcommand does once its options are read: check the observation against the
/// cached reference data, sign it, append it to the log, and say so only once it is on disk.
enum RecordRunner {
    static func run(_ request: RecordRequest, home: ClientHome) async throws {
        try await CommandFailure.reporting { try await record(request, home: home) }
    }

    static func record(_ request: RecordRequest, home: ClientHome) async throws {
        let store = ProfileStore(home: home)
        let profile = try store.profile()
        let key = try store.deviceKey()
        guard let reference = try CachedReference.load(home: home) else {
            throw ProfileError("there is no reference data in \(home) yet: run `fieldsync sync` once online")
        }
        let data = reference.data(for: profile, key: key.publicKey)
        guard let calendar = profile.calendar else {
            throw ProfileError(
                "the server's reference data defines no election yet, so no time is allowed: run `fieldsync sync`"
                    + " once the server has loaded it")
        }
        let now = ReporterClock.now(environment: ProcessInfo.processInfo.environment)
        let onWait: @Sendable () -> Void = {
            Console.error("fieldsync: waiting for another fieldsync command to finish…")
        }
        let (event, log) = try await FileLock.withLock(home.logLock, waiting: onWait) {
            var log = try await LocalLog.open(home: home, key: key)
            if let quarantined = log.quarantined { Console.error("fieldsync: note: " + quarantined.description) }
            try log.requireIntact()
            let context = RecordContext(
                reference: data, calendar: calendar, now: now, lastStation: log.lastStation)
            switch Recorder.prepare(request, log: log, key: key, context: context) {
            case .failure(let problems):
                throw problems
            case .success(let event):
                // Known once `init` or `sync` fetched the device's assignments.
                if let station = event.station, let coverage = data.coverage[profile.device],
                    !coverage.covers(station, definition: data.stations[station])
                {
                    Console.error(
                        "fieldsync: warning: this device is not assigned to \(station) (it covers \(coverage.summary)):"
                            + " the server keeps this observation, but it counts only once an editor accepts it")
                }
                try log.append([event])
                return (event, log)
            }
        }
        let state = (try? SyncState.load(home: home)) ?? SyncState()
        let waiting = max(0, log.lastSeq - state.serverSeq)
        let summary = EventSummary.line(event, calendar: profile.calendar) { id in
            log.entries.first { $0.event.id == id }?.seq
        }
        Console.line(
            "Recorded #\(event.seq) \(EventSummary.kind(event.type)) at \(event.subject): \(summary)."
                + " \(waiting) event\(waiting == 1 ? "" : "s") waiting to sync.")
    }
}
