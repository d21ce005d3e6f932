/// A log carried by hand: signed events of one or more devices, each device's a run of its chain with
/// no gap, and the photos they name, in one file with a manifest (see PROTOCOL.md, "Bundles").
///
/// Pure: made from events and photos, written to bytes, read back from bytes with every check that needs
/// no key (the manifest, the counts, the hashes, each device's chain). The server checks the signatures
/// and the rights.
public struct EventBundle: Sendable {
    public let manifest: BundleManifest
    /// The events, author by author in the manifest's order, each author's by seq.
    public let events: [Event]
    /// The photos, in the manifest's order.
    public let photos: [BundlePhoto]

    /// Makes a bundle of `events` (in any order; each device's must be a run of its chain with no gap) and
    /// of the photos among `photos` that the events name. Throws `chain-broken` when a device's events do
    /// not follow on.
    public init(events: [Event], photos: [BundlePhoto]) throws(BundleProblem) {
        guard !events.isEmpty else { throw BundleProblem(.malformed, "a bundle holds at least one event") }
        var byDevice = [DeviceID: [Event]]()
        for event in events { byDevice[event.device, default: []].append(event) }
        var authors = [BundleAuthor]()
        var ordered = [Event]()
        for device in byDevice.keys.sorted() {
            let run = byDevice[device]!.sorted { $0.seq < $1.seq }
            authors.append(try Self.author(of: run))
            ordered += run
        }
        let available = Dictionary(photos.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
        let carried = NamedPhoto.named(in: ordered).compactMap { available[$0.photo.sha256] }
        let content = Self.content(events: ordered, photos: carried)
        self.manifest = BundleManifest(
            authors: authors, photos: carried.map(\.reference), contentBytes: Int64(content.count),
            contentSha256: .hash(content))
        self.events = ordered
        self.photos = carried
    }

    /// The bundle's bytes: the manifest's line, then one line per event, then one per photo.
    public var bytes: [UInt8] {
        CanonicalJSON.bytes(manifest.jsonValue) + [0x0a] + Self.content(events: events, photos: photos)
    }

    private static func content(events: [Event], photos: [BundlePhoto]) -> [UInt8] {
        var content = [UInt8]()
        for event in events {
            content += event.canonicalBytes
            content.append(0x0a)
        }
        for photo in photos {
            content += photo.line
            content.append(0x0a)
        }
        return content
    }

    /// Checks that `run` (one device's events, by seq) follows on with no gap, each event linked to the one
    /// before, and says what a manifest states of it.
    static func author(of run: [Event]) throws(BundleProblem) -> BundleAuthor {
        let first = run[0]
        for (previous, event) in zip(run, run.dropFirst()) {
            let device = event.device
            if event.seq <= previous.seq {
                throw BundleProblem(
                    .chainBroken, "device \(device): seq \(event.seq) comes after seq \(previous.seq), out of order",
                    device: device, seq: event.seq)
            }
            if event.seq > previous.seq + 1 {
                let missing = Self.range(previous.seq + 1, event.seq - 1)
                throw BundleProblem(
                    .chainBroken,
                    "device \(device): \(missing) missing from the middle (seq \(previous.seq) is followed by"
                        + " seq \(event.seq))", device: device, seq: previous.seq + 1)
            }
            if event.prevHash != previous.hash {
                throw BundleProblem(
                    .chainBroken,
                    "device \(device) seq \(event.seq): its prevhash \(event.prevHash.hex) is not the hash of seq"
                        + " \(previous.seq) (\(previous.hash.hex)): seq \(previous.seq) was altered or seq"
                        + " \(event.seq) does not follow it", device: device, seq: event.seq)
            }
        }
        return BundleAuthor(
            device: first.device, firstSeq: first.seq, lastSeq: run[run.count - 1].seq, prevHash: first.prevHash,
            lastHash: run[run.count - 1].hash)
    }

    /// `seq 5 is` or `seq 5…7 are`.
    public static func range(_ first: Int64, _ last: Int64) -> String {
        first == last ? "seq \(first) is" : "seq \(first)…\(last) are"
    }
}
