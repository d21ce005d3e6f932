import FieldSyncModel
import NIOCore

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
        /// Photos whose download went on from a part kept before (by an earlier run or a broken try).
        public var resumed = 0
    }

    /// Where the bytes of a photo received so far are kept, until the photo is whole and checked:
    /// `DIR/<sha256>.part`.
    public func partPath(of photo: SHA256Digest) -> String { path(of: photo) + ".part" }

    /// Fetches every photo of `named` the folder does not hold right, checks it and keeps it. Resumable
    /// within a photo: the bytes are appended to `DIR/<sha256>.part` as they arrive, and a try that breaks
    /// off, or a later run, asks for the rest only (`Range: bytes=N-`); once whole, the part is checked
    /// and becomes `DIR/<sha256>`, or is removed if it is not the photo. A fetch that breaks off is tried
    /// again a few times; then the error ends the run, and what arrived stays kept.
    public func download(
        _ named: [Named], from server: AuditServer, progress: (Downloaded) -> Void = { _ in }
    ) async throws -> Downloaded {
        var done = Downloaded()
        for item in named {
            if try holds(item.photo) {
                done.kept += 1
                continue
            }
            try DurableFile.makeFolder(folder)
            var attempt = 0
            while true {
                do {
                    if try await fetch(item.photo, from: server, into: &done) {
                        done.fetched += 1
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

    /// Fetches the rest of `photo` into its part file and keeps it once whole and right; false when the
    /// server does not hold it.
    private func fetch(
        _ photo: PhotoReference, from server: AuditServer, into done: inout Downloaded
    ) async throws
        -> Bool
    {
        let part = partPath(of: photo.sha256)
        var held = DurableFile.size(part) ?? 0
        if let size = photo.size, held >= size { held = 0 }
        if held > 0 { done.resumed += 1 }
        let file = try ExportFileHandle(appendingTo: part, keeping: UInt64(held))
        defer { file.closeFile() }
        var received = 0
        let answer = try await server.photo(photo.sha256, from: held) { piece in
            try file.append(Array(piece.readableBytesView))
            received += piece.readableBytes
        }
        done.bytes += received
        switch answer {
        case .notStored:
            return false
        case .received(let start):
            if start == 0 && held > 0 {
                // The whole photo came instead of the rest: keep only what this answer carried.
                try file.sync()
                let bytes = try DurableFile.contents(of: part) ?? []
                try DurableFile.replace(part, with: Array(bytes.suffix(received)))
            }
        }
        try file.sync()
        let bytes = try DurableFile.contents(of: part) ?? []
        guard Self.problem(with: bytes, as: photo) == nil else {
            try DurableFile.remove(part)
            throw AuditServerError(
                .badAnswer,
                "the server's photo \(photo.sha256.hex) is not that photo: "
                    + (Self.problem(with: bytes, as: photo) ?? ""))
        }
        try DurableFile.move(part, to: path(of: photo.sha256))
        try DurableFile.syncFolder(of: path(of: photo.sha256))
        return true
    }
}
