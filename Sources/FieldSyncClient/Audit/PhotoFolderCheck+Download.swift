import FieldSyncModel

extension PhotoFolderCheck {
    /// What a download of photos did.
    public struct Downloaded: Sendable, Hashable {
        /// Photos fetched and kept now.
        public var fetched = 0
        /// Photos the folder held already, right: not fetched again.
        public var kept = 0
        /// Photos named by an event that the server does not hold (yet).
        public var pending: [Named] = []
        /// Bytes fetched.
        public var bytes = 0
    }

    /// Fetches every photo of `named` the folder does not hold right, checks it and keeps it. Resumable:
    /// run again, it fetches only what is still missing. A fetch that breaks off is tried again a few
    /// times; then the error ends the run, and what was kept stays kept.
    public func download(
        _ named: [Named], from server: AuditServer, progress: (Downloaded) -> Void = { _ in }
    ) async throws -> Downloaded {
        var done = Downloaded()
        for item in named {
            if try holds(item.photo) {
                done.kept += 1
                continue
            }
            var attempt = 0
            while true {
                do {
                    if let bytes = try await server.photo(item.photo.sha256) {
                        try keep(bytes, as: item.photo)
                        done.fetched += 1
                        done.bytes += bytes.count
                    } else {
                        done.pending.append(item)
                    }
                    break
                } catch let error as AuditServerError where error.kind == .unreachable && attempt < 3 {
                    attempt += 1
                    try await Task.sleep(for: .seconds(attempt))
                }
            }
            progress(done)
        }
        return done
    }
}
