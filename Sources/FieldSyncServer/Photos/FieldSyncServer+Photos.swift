import FieldSyncModel
import FieldSyncStore
import Hummingbird

/// Photos of signed sheets: uploaded by the reporter whose event names them, after the events, in
/// pieces that survive a cut connection; read by editors and auditors. See PROTOCOL.md, "Photos".
extension FieldSyncServer {
    var photos: PhotoStore { PhotoStore(pool: pool) }

    /// Pieces are kept at least this often while a body arrives, so that a cut loses little.
    static let photoPieceBytes = 64 << 10

    /// `PUT /v1/photos/{sha256}`: the bytes of a photo a stored event of the caller names, whole or a
    /// piece (`Content-Range`). 201 when this request completed it, 200 otherwise (a piece kept, or the
    /// photo stored already, which is never replaced); the body says how many bytes are held.
    func uploadPhoto(_ request: Request, name: String, caller: Caller) async throws -> Response {
        let photo = try Self.photoName(name)
        let claims = try await photos.claims(photo)
        guard !claims.isEmpty else { throw Problem.photoNotNamed(photo) }
        let own = claims.filter { $0.device == caller.device.rawValue }
        if own.isEmpty && caller.role != .admin {
            throw Problem(
                .forbidden,
                "only the device whose event names the photo \(photo.hex) may upload it, not \(caller.device)")
        }
        let holding = try await photos.holding(photo)
        if case .stored(let stored) = holding { return Self.photoAnswer(stored, held: stored.size ?? 0, status: .ok) }

        let declared = (own.isEmpty ? claims : own).lazy.map(\.photo).first { $0.size != nil }
        guard let stated = request.mediaType else {
            throw Problem.photoTypeUnsupported(photo, "has no Content-Type")
        }
        guard let type = PhotoType(rawValue: stated) else {
            throw Problem.photoTypeUnsupported(photo, "is sent as \(stated)")
        }
        let range: UploadRange
        switch UploadRange.parse(
            request.headers[.contentRange], contentLength: request.headers[.contentLength].flatMap { Int($0) })
        {
        case .success(let parsed): range = parsed
        case .failure(let failure):
            throw Problem.invalidRequest(
                field: "Content-Range", code: .invalidFormat, problem: failure.problem, allowed: UploadRange.allowed)
        }
        guard range.size <= PhotoType.maximumBytes else { throw Problem.photoTooLarge(photo, size: range.size) }
        if let size = declared?.size, size != range.size {
            throw Problem.photoMismatch(photo, differs: "size", expected: "\(size) bytes", found: "\(range.size) bytes")
        }
        if let expected = declared?.type, expected != type {
            throw Problem.photoMismatch(photo, differs: "type", expected: expected.rawValue, found: type.rawValue)
        }
        if range.start != 0 {
            let held = if case .partial(let held, _, _) = holding { held } else { 0 }
            guard held == range.start else { throw Problem.photoUploadOffset(photo, start: range.start, held: held) }
        }
        let slot = try photoUploads.take()
        defer { slot.release() }
        let held = try await receivePieces(of: photo, range: range, type: type, from: request.body)
        guard held == range.size else {
            return Self.photoAnswer(
                PhotoReference(sha256: photo, size: range.size, type: type), held: held, status: .ok)
        }
        switch try await photos.complete(photo) {
        case .stored(let stored):
            return Self.photoAnswer(stored, held: stored.size ?? held, status: .created)
        case .incomplete(let held):
            return Self.photoAnswer(
                PhotoReference(sha256: photo, size: range.size, type: type), held: held, status: .ok)
        case .wrongBytes(let found, _, let foundType):
            if foundType != type {
                throw Problem.photoMismatch(
                    photo, differs: "type", expected: type.rawValue,
                    found: foundType?.rawValue ?? "neither JPEG nor PNG")
            }
            throw Problem.photoMismatch(photo, differs: "sha256", expected: photo.hex, found: found.hex)
        }
    }

    /// Reads the body, keeping it in pieces as it arrives; returns how many bytes of the photo are held.
    /// A body cut short keeps what arrived, so that the next request goes on from there.
    private func receivePieces(
        of photo: SHA256Digest, range: UploadRange, type: PhotoType, from body: RequestBody
    ) async throws -> Int {
        var start = range.start
        var pending = [UInt8]()
        var received = 0
        var typeChecked = range.start > 0
        func keep() async throws {
            guard !pending.isEmpty || start == 0 else { return }
            await eventsFirst.photoPieceMayGo()
            switch try await photos.addPiece(pending, of: photo, from: start, size: range.size, type: type) {
            case .added(let held): start = held
            case .notContiguous(let held): throw Problem.photoUploadOffset(photo, start: start, held: held)
            case .alreadyStored: start = range.size
            }
            pending.removeAll(keepingCapacity: true)
        }
        func checkType() throws {
            guard !typeChecked else { return }
            guard let found = PhotoType(magic: pending) else {
                throw Problem.photoTypeUnsupported(photo, "is neither a JPEG nor a PNG by its first bytes")
            }
            guard found == type else {
                throw Problem.photoMismatch(photo, differs: "type", expected: type.rawValue, found: found.rawValue)
            }
            typeChecked = true
        }
        do {
            for try await buffer in body {
                received += buffer.readableBytes
                guard received <= range.length else {
                    throw Problem.invalidRequest(
                        field: "Content-Range", code: .outOfRange,
                        problem: "the body has more than the \(range.length) bytes stated", allowed: UploadRange.allowed
                    )
                }
                pending += buffer.readableBytesView
                if pending.count >= 8 || received == range.length { try checkType() }
                if pending.count >= Self.photoPieceBytes { try await keep() }
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            // The connection was cut: keep what arrived (from the start of a known type only).
            if typeChecked && !pending.isEmpty { try? await keep() }
            throw error
        }
        try checkType()
        try await keep()
        return start
    }

    /// `GET /v1/photos/{sha256}/upload` → {sha256, held, size?, type?, complete}: how much of a photo
    /// the server holds, to go on with an upload from there.
    func photoUpload(name: String) async throws -> Response {
        let photo = try Self.photoName(name)
        switch try await photos.holding(photo) {
        case .none: return Self.photoAnswer(PhotoReference(sha256: photo), held: 0, status: .ok)
        case .partial(let held, let size, let type):
            return Self.photoAnswer(PhotoReference(sha256: photo, size: size, type: type), held: held, status: .ok)
        case .stored(let stored): return Self.photoAnswer(stored, held: stored.size ?? 0, status: .ok)
        }
    }

    /// `GET /v1/photos/{sha256}`: the photo's bytes, with its hash as a strong `ETag` and an immutable
    /// `Cache-Control` (the name is the content), 304 for a matching `If-None-Match`.
    func photoBytes(_ request: Request, name: String) async throws -> Response {
        let photo = try Self.photoName(name)
        let tag = "\"\(photo.hex)\""
        guard let (type, bytes) = try await photos.photo(photo) else {
            let named = try await !photos.claims(photo).isEmpty
            throw Problem(
                .notFound,
                "the photo \(photo.hex) is not stored"
                    + (named ? ": an event names it, and its bytes have not arrived yet" : ", and no event names it"),
                photo: .init(sha256: photo.hex, named: named))
        }
        var headers: HTTPFields = [
            .eTag: tag, .cacheControl: "private, max-age=31536000, immutable", .contentType: type.rawValue,
            .acceptRanges: "bytes",
        ]
        if let wanted = request.headers[.ifNoneMatch], Self.matches(wanted, tag: tag) {
            return Response(status: .notModified, headers: headers)
        }
        // A photo never changes, so a range of it needs no If-Range: a reader goes on where it broke off.
        if let range = ReadRange(request.headers[.range], size: bytes.count) {
            headers[.contentRange] = range.contentRange(size: bytes.count)
            return Response(
                status: .partialContent, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes[range.first...range.last])))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A photo's name in a path: its SHA-256 in 64 lowercase hex digits.
    static func photoName(_ text: String) throws -> SHA256Digest {
        guard let photo = SHA256Digest(hex: text) else {
            throw Problem.invalidRequest(
                field: "sha256", code: .invalidFormat, problem: "\"\(text.prefix(80))\" is not a photo's name",
                allowed: "the photo's SHA-256 in 64 lowercase hexadecimal digits")
        }
        return photo
    }

    private static func photoAnswer(_ photo: PhotoReference, held: Int, status: HTTPResponse.Status) -> Response {
        var object: [String: JSONValue] = [
            "sha256": .string(photo.sha256.hex), "held": .integer(Int64(held)),
            "complete": .bool(photo.size != nil && held == photo.size),
        ]
        if let size = photo.size { object["size"] = .integer(Int64(size)) }
        if let type = photo.type { object["type"] = .string(type.rawValue) }
        return JSONResponse.make(.object(object), status: status)
    }
}
