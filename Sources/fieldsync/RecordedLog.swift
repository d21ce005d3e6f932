import FieldSyncClient

/// What `fieldsync log` and `fieldsync status` read of a device's home: its profile, its whole log
/// opened and verified under the log's lock, and where the last sync left things.
struct RecordedLog {
    let home: ClientHome
    let profile: Profile
    let log: LocalLog
    let state: SyncState

    static func open(_ home: ClientHome) async throws -> RecordedLog {
        let store = ProfileStore(home: home)
        let profile = try store.profile()
        let key = try store.deviceKey()
        let log = try await FileLock.withLock(home.logLock) {
            try await LocalLog.open(home: home, key: key)
        }
        return RecordedLog(home: home, profile: profile, log: log, state: try SyncState.load(home: home))
    }
}
