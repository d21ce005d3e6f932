import FieldSyncModel

extension SyncEngine {
    /// The most bytes of a photo one request carries; the server keeps what arrives of each even when
    /// the connection is cut.
    static let photoPieceBytes = 1 << 20

    /// Sends the photos the log names that the server does not hold yet, once every event is on the
    /// server: oldest first, each from where the server's bytes end, so that a cut connection or a
    /// restarted server costs only the piece under way. A photo the server refuses (its event is not
    /// stored, its bytes are not what the event says) is reported and the others go on.
    func pushPhotos(log: LocalLog, report: inout SyncReport, api: ServerAPI) async throws {
        let folder = PhotoFolder(home: home)
        let pending = try folder.pending(in: log)
        report.photosPending = pending.count
        guard !pending.isEmpty else { return }
        progress(.notice("sending \(pending.count) photo\(pending.count == 1 ? "" : "s") after the events"))
        for named in pending {
            let name = "the photo \(named.photo.sha256.hex) of seq \(named.seq)"
            guard let bytes = try folder.bytes(of: named.photo.sha256) else {
                report.photoProblems.append("\(name) is not in \(home.photos): it cannot be sent")
                continue
            }
            guard let photo = try? PhotoReference(of: bytes), photo.sha256 == named.photo.sha256 else {
                report.photoProblems.append(
                    "\(name): the file \(folder.path(of: named.photo.sha256)) is no longer that photo")
                continue
            }
            do {
                try await upload(photo, bytes, name: name, report: &report, api: api)
            } catch let failure as SyncFailure where failure.status != nil {
                report.photoProblems.append("\(name) was refused: \(failure.message)")
                continue
            }
            try folder.markSent(photo.sha256)
            report.photosSent += 1
            report.photosPending -= 1
        }
    }

    /// How many times a photo whose bytes arrived damaged is sent again in one sync.
    static let damagedPhotoResends = 3

    /// Sends `bytes`, whose hash was just checked to be `photo`'s name, from where the server's bytes end
    /// until the server holds the photo whole. When the server finds that the bytes it received hash to
    /// another name (it keeps nothing of them), they were damaged on the way: the photo is sent again
    /// from its first byte, up to ``damagedPhotoResends`` times.
    private func upload(
        _ photo: PhotoReference, _ bytes: [UInt8], name: String, report: inout SyncReport, api: ServerAPI
    ) async throws {
        var resends = 0
        while true {
            do {
                var held = try await retrying(&report) { () async throws(ServerAPIError) in
                    try await api.photoHeld(photo.sha256)
                }
                while !held.complete {
                    held = try await sendPiece(of: photo, bytes, from: held.held, report: &report, api: api)
                }
                return
            } catch let failure as SyncFailure
                where failure.problem?.kind == .photoMismatch && failure.problem?.photo?.differs == "sha256"
                && resends < Self.damagedPhotoResends
            {
                resends += 1
                report.retries += 1
                progress(.notice("\(name) arrived damaged (\(failure.message)): sending it again from its first byte"))
            }
        }
    }

    /// Sends the piece of a photo from `start`, trying again as long as the server can be reached; a try
    /// cut short that still moved the server's bytes on counts as done, so that the backoff grows only
    /// while nothing gets through.
    private func sendPiece(
        of photo: PhotoReference, _ bytes: [UInt8], from start: Int, report: inout SyncReport, api: ServerAPI
    ) async throws -> ServerAPI.PhotoHeld {
        let start = start < bytes.count ? start : 0
        let end = min(bytes.count, start + Self.photoPieceBytes)
        var tried = false
        return try await retrying(&report) { () async throws(ServerAPIError) in
            if tried {
                let held = try await api.photoHeld(photo.sha256)
                if held.complete || held.held != start { return held }
            }
            tried = true
            return try await api.sendPhoto(bytes[start..<end], of: photo, from: start, size: bytes.count)
        }
    }
}
