import FieldSyncModel
import FieldSyncStore
import Hummingbird

/// Bundles: logs carried by hand (PROTOCOL.md, "Bundles"). Any enrolled device may carry one; the events
/// are checked and stored as their authors', never as the carrier's.
extension FieldSyncServer {
    /// The media types a bundle may be sent as.
    static let bundleMediaTypes = ["application/vnd.fieldsync.bundle", "application/octet-stream"]

    /// `POST /v1/bundles`: stores a bundle's events and then its photos (see ``storeBundle(_:)``).
    func pushBundle(_ request: Request) async throws -> Response {
        try request.requireMediaType(Self.bundleMediaTypes)
        let body = try await request.collectBody(limit: configuration.maximumBundleBytes)
        return JSONResponse.make(try await storeBundle(Array(body.readableBytesView)).jsonValue)
    }

    /// Stores a bundle, whoever carried it: the same checks and the same append as a push by each author.
    ///
    /// The bundle is read and checked first (manifest, hashes, each device's chain); then each author
    /// must be a reporter's device enrolled here and not revoked, and each event valid and signed by its
    /// author's key. Then every event of every author is appended in one transaction, under the append
    /// lock (where revocation is checked again); an event that contradicts what is stored (a conflict) or
    /// that does not follow on from what the server holds of its device (a gap) rolls it all back. An
    /// event stored already is a duplicate, so a bundle may be carried twice. Only then are its photos
    /// stored, each once. Every refusal is a ``Problem`` naming the device and the seq; nothing of a
    /// refused bundle is stored.
    public func storeBundle(_ bytes: [UInt8]) async throws -> BundleAnswer {
        let bundle: EventBundle
        do {
            bundle = try EventBundle(bytes: bytes)
        } catch {
            throw Problem(Self.problemKind(of: error.kind), error.detail + "; nothing of the bundle was stored")
        }
        var snapshot = await reference.snapshot
        if bundle.manifest.authors.contains(where: { snapshot.data.devices[$0.device] == nil }) {
            snapshot = try await reference.refresh()
        }
        var checks = [DeviceID: BatchCheck]()
        for author in bundle.manifest.authors {
            let device = author.device
            guard let enrolled = snapshot.data.devices[device], enrolled.role == .reporter else {
                throw Problem(
                    .bundleForeign,
                    "device \(device), the author of seq \(author.firstSeq)…\(author.lastSeq), is not a reporter's"
                        + " device enrolled on this server; nothing of the bundle was stored")
            }
            if let reason = enrolled.revocationReason {
                throw Problem(
                    .deviceRevoked,
                    "device \(device), the author of seq \(author.firstSeq)…\(author.lastSeq) of the bundle, was"
                        + " revoked: \(reason); nothing of the bundle was stored")
            }
            checks[device] = BatchCheck(
                device: device, key: enrolled.publicKey,
                validator: EventValidator(reference: snapshot.data))
        }
        try await checkEvents(of: bundle, with: checks)

        let appended: AppendResult
        do {
            appended = try await events.append(bundle.events.map(EventRecord.init(event:))) { _, result in
                try Self.refuseUnfollowed(result, of: bundle)
            }.result
        } catch is DevicesRevoked {
            throw Problem(
                .deviceRevoked, "an author of the bundle was revoked before it could be stored; nothing of it was")
        }
        var authors = [BundleAnswer.Author]()
        for author in bundle.manifest.authors {
            var counted = BundleAnswer.Author(
                device: author.device.rawValue, firstSeq: author.firstSeq, lastSeq: author.lastSeq, appended: 0,
                duplicates: 0)
            for (event, outcome) in zip(bundle.events, appended.outcomes) where event.device == author.device {
                if case .appended = outcome { counted.appended += 1 } else { counted.duplicates += 1 }
            }
            authors.append(counted)
        }
        let (stored, held) = try await storePhotos(of: bundle)
        return BundleAnswer(authors: authors, photosStored: stored, photosHeld: held, position: appended.head.position)
    }

    /// Each author's events through the checks of a push by that author (``BatchCheck``): decoded,
    /// signed by the author's enrolled key, valid against the reference data; corrections against the
    /// events they correct. The first invalid event refuses the whole bundle.
    private func checkEvents(of bundle: EventBundle, with checks: [DeviceID: BatchCheck]) async throws {
        for author in bundle.manifest.authors {
            let check = checks[author.device]!
            let run = bundle.events.filter { $0.device == author.device }
            var checked = await check.check(run.map(\.jsonValue))
            try await checkCorrections(&checked, with: check)
            for (index, item) in checked.enumerated() {
                guard case .invalid(let id, let seq, let errors) = item else { continue }
                var problem = Problem(
                    .bundleEventsInvalid,
                    "device \(author.device) seq \(seq ?? run[index].seq): "
                        + errors.map(\.description).joined(separator: "; ") + "; nothing of the bundle was stored",
                    errors: errors)
                problem.results = [PushResult(index: index, id: id, seq: seq, outcome: .invalid(errors))]
                throw problem
            }
        }
    }

    /// Throws the refusal of a bundle one of whose events the store did not take: a conflict, or a gap
    /// between what the server holds of its device and the bundle's first event.
    private static func refuseUnfollowed(_ result: AppendResult, of bundle: EventBundle) throws {
        for (event, outcome) in zip(bundle.events, result.outcomes) {
            switch outcome {
            case .appended, .duplicate:
                continue
            case .gap(let expected):
                throw Problem(
                    .bundleChainBroken,
                    "device \(event.device): the server holds its events up to seq \(expected - 1) and the bundle"
                        + " starts at seq \(event.seq): \(EventBundle.range(expected, event.seq - 1)) in neither;"
                        + " nothing of the bundle was stored")
            case .conflict(let conflict):
                throw Problem(
                    .bundleConflict,
                    "device \(event.device) seq \(event.seq): \(conflict); nothing of the bundle was stored")
            }
        }
    }

    /// Stores the bundle's photos once its events are, through the photo store's checks: each must be
    /// named by a stored event of one of the bundle's authors. Returns how many were stored now and how
    /// many were held already.
    private func storePhotos(of bundle: EventBundle) async throws -> (stored: Int, held: Int) {
        let authors = Set(bundle.manifest.authors.map(\.device.rawValue))
        var stored = 0
        var held = 0
        for photo in bundle.photos {
            let sha256 = photo.sha256
            guard try await photos.claims(sha256).contains(where: { authors.contains($0.device) }) else {
                throw Problem.photoNotNamed(sha256)
            }
            if case .stored = try await photos.holding(sha256) {
                held += 1
                continue
            }
            let type = photo.reference.type ?? .jpeg
            _ = try await photos.addPiece(photo.bytes, of: sha256, from: 0, size: photo.bytes.count, type: type)
            switch try await photos.complete(sha256) {
            case .stored: stored += 1
            case .incomplete(let count):
                throw Problem.photoMismatch(
                    sha256, differs: "size", expected: "\(photo.bytes.count) bytes", found: "\(count) bytes")
            case .wrongBytes(let found, _, _):
                throw Problem.photoMismatch(sha256, differs: "sha256", expected: sha256.hex, found: found.hex)
            }
        }
        return (stored, held)
    }

    private static func problemKind(of kind: BundleProblem.Kind) -> Problem.Kind {
        switch kind {
        case .malformed: .bundleMalformed
        case .truncated: .bundleTruncated
        case .tampered, .chainsDiffer: .bundleTampered
        case .chainBroken: .bundleChainBroken
        }
    }
}
