extension EventBundle {
    /// Reads a bundle and checks everything that needs no key, in this order, so that the first fault
    /// found is told as exactly as it can be: the manifest (`malformed`); fewer bytes than it states
    /// (`truncated`); each line (`tampered`); each device's chain: a missing seq, an event that does not
    /// link to the one before (`chain-broken`, naming the device and the seq); each end of it against the
    /// manifest, the photos against the manifest and the events, more bytes than stated, and the SHA-256
    /// of the content (`tampered`).
    public init(bytes: [UInt8]) throws(BundleProblem) {
        guard let end = bytes.firstIndex(of: 0x0a) else {
            throw bytes.first == UInt8(ascii: "{")
                ? BundleProblem(.truncated, "the bundle is cut short within its manifest line")
                : BundleProblem(.malformed, "not a bundle this program reads: it has no manifest line")
        }
        let manifest = try BundleManifest(line: bytes[..<end])
        let content = bytes[(end + 1)...]
        guard content.count >= manifest.contentBytes else {
            throw BundleProblem(
                .truncated,
                "the bundle is cut short: \(content.count) of the \(manifest.contentBytes) bytes after its manifest"
                    + " are here")
        }
        var events = [Event]()
        var photos = [BundlePhoto]()
        var parser = EventParser()
        var lineNumber = 1
        var start = content.startIndex
        while start < content.endIndex {
            lineNumber += 1
            let stop = content[start...].firstIndex(of: 0x0a) ?? content.endIndex
            let line = content[start..<stop]
            start = stop == content.endIndex ? stop : stop + 1
            if line.starts(with: Array(#"{"bytes":"#.utf8)) {
                photos.append(try BundlePhoto(line: line, number: lineNumber))
                continue
            }
            let event: Event
            do {
                event = try parser.parse(line)
            } catch {
                throw BundleProblem(.tampered, "line \(lineNumber) is neither an event nor a photo: \(error)")
            }
            guard event.canonicalBytes.elementsEqual(line) else {
                throw BundleProblem(
                    .tampered,
                    "line \(lineNumber), device \(event.device) seq \(event.seq), is not in canonical form as signed"
                        + " events are carried", device: event.device, seq: event.seq)
            }
            events.append(event)
        }
        try Self.check(events, against: manifest)
        try Self.check(photos, against: manifest, events: events)
        guard content.count == manifest.contentBytes else {
            throw BundleProblem(
                .tampered,
                "the bundle has \(content.count - Int(manifest.contentBytes)) bytes more after its manifest than the"
                    + " \(manifest.contentBytes) it states")
        }
        let found = SHA256Digest.hash(content)
        guard found == manifest.contentSha256 else {
            throw BundleProblem(
                .tampered,
                "the SHA-256 of the bundle's content is \(found.hex), its manifest says \(manifest.contentSha256.hex):"
                    + " its bytes were changed")
        }
        self.manifest = manifest
        self.events = events
        self.photos = photos
    }

    /// Each device's events against the manifest's author: the chain first, then each end.
    private static func check(_ events: [Event], against manifest: BundleManifest) throws(BundleProblem) {
        var byDevice = [DeviceID: [Event]]()
        for event in events { byDevice[event.device, default: []].append(event) }
        let listed = Set(manifest.authors.map(\.device))
        if let stranger = byDevice.keys.sorted().first(where: { !listed.contains($0) }) {
            throw BundleProblem(
                .tampered, "the bundle holds events of device \(stranger), which its manifest does not list",
                device: stranger)
        }
        for stated in manifest.authors {
            let device = stated.device
            guard let run = byDevice[device] else {
                throw BundleProblem(
                    .chainBroken,
                    "device \(device): \(range(stated.firstSeq, stated.lastSeq)) listed in the manifest and missing",
                    device: device, seq: stated.firstSeq)
            }
            let found = try author(of: run)
            if found.firstSeq > stated.firstSeq {
                throw BundleProblem(
                    .chainBroken,
                    "device \(device): \(range(stated.firstSeq, found.firstSeq - 1)) missing from the start (the"
                        + " manifest starts at seq \(stated.firstSeq))", device: device, seq: stated.firstSeq)
            }
            if found.lastSeq < stated.lastSeq {
                throw BundleProblem(
                    .chainBroken,
                    "device \(device): \(range(found.lastSeq + 1, stated.lastSeq)) missing from the end (the"
                        + " manifest ends at seq \(stated.lastSeq))", device: device, seq: found.lastSeq + 1)
            }
            if found.firstSeq != stated.firstSeq || found.lastSeq != stated.lastSeq {
                throw BundleProblem(
                    .tampered,
                    "device \(device): the bundle holds seq \(found.firstSeq)…\(found.lastSeq), its manifest states"
                        + " seq \(stated.firstSeq)…\(stated.lastSeq)", device: device)
            }
            if found.prevHash != stated.prevHash {
                throw BundleProblem(
                    .tampered,
                    "device \(device) seq \(found.firstSeq): its prevhash is not the one the manifest states"
                        + " (\(stated.prevHash.hex))", device: device, seq: found.firstSeq)
            }
            if found.lastHash != stated.lastHash {
                throw BundleProblem(
                    .tampered,
                    "device \(device) seq \(found.lastSeq): not the event the manifest names (its hash is"
                        + " \(found.lastHash.hex), the manifest's lastHash \(stated.lastHash.hex)): it was altered",
                    device: device, seq: found.lastSeq)
            }
        }
    }

    /// The photos against the manifest (the same, in its order) and the events (each named by one, with the
    /// size and type the event states).
    private static func check(
        _ photos: [BundlePhoto], against manifest: BundleManifest, events: [Event]
    ) throws(BundleProblem) {
        let held = Set(photos.map(\.sha256))
        if let missing = manifest.photos.first(where: { !held.contains($0.sha256) }) {
            throw BundleProblem(
                .tampered, "the manifest lists photo \(missing.sha256.hex), which the bundle does not hold")
        }
        guard photos.map(\.reference) == manifest.photos else {
            throw BundleProblem(
                .tampered, "the bundle's photos are not those its manifest lists, with their sizes and types, in order")
        }
        var named = [SHA256Digest: PhotoReference]()
        for item in NamedPhoto.named(in: events) { named[item.photo.sha256] = item.photo }
        for photo in photos {
            guard let stated = named[photo.sha256] else {
                throw BundleProblem(.tampered, "photo \(photo.sha256.hex) is named by no event of the bundle")
            }
            if let size = stated.size, size != photo.reference.size {
                throw BundleProblem(
                    .tampered, "photo \(photo.sha256.hex) has \(photo.bytes.count) bytes; its event states \(size)")
            }
            if let type = stated.type, type != photo.reference.type {
                throw BundleProblem(
                    .tampered, "photo \(photo.sha256.hex) is not of the type its event states (\(type.rawValue))")
            }
        }
    }
}
