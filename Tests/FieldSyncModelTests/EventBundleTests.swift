import Testing

@testable import FieldSyncModel

/// Bundles without I/O: written and read back, merged, and every fault told with the device and seq.
@Suite struct EventBundleTests {
    /// `count` chained turnout counts by `key`, from seq 1.
    static func chain(_ count: Int, key: SigningKey, votes: Int = 10) -> [Event] {
        var chain = DeviceChain(device: key.publicKey.deviceID)
        return (0..<count).map { index in
            let time = ObservedTime(
                Timestamp(rfc3339: "2024-02-08T10:00:00+05:00")!.adding(minutes: Int64(index)), offsetMinutes: 300)
            let draft = EventDraft(
                payload: .turnoutCounted(TurnoutCount(asOf: time, votesCast: votes + index)),
                subject: Fixture.station.rawValue, time: time)
            return try! chain.sign(draft, key: key)
        }
    }

    /// A tiny JPEG's bytes (its first three bytes are what makes it one).
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 60)

    static func resultNaming(_ photo: PhotoReference, after events: [Event], key: SigningKey) -> Event {
        var chain = DeviceChain(device: key.publicKey.deviceID, lastSeq: events.last!.seq, lastHash: events.last!.hash)
        var result = Fixture.result
        result.photo = photo
        let time = ObservedTime("2024-02-08T18:30:00+05:00")!
        return try! chain.sign(
            EventDraft(payload: .resultReported(result), subject: Fixture.station.rawValue, time: time), key: key)
    }

    @Test func aBundleReadsBackAsWrittenWithItsManifest() throws {
        let reporter = Self.chain(3, key: Fixture.reporterKey)
        let photo = try BundlePhoto(bytes: Self.jpeg)
        let events = reporter + [Self.resultNaming(photo.reference, after: reporter, key: Fixture.reporterKey)]
        let other = Self.chain(2, key: Fixture.otherReporterKey)
        let unnamed = try BundlePhoto(bytes: Self.jpeg + [1])
        let bundle = try EventBundle(events: other + events.reversed(), photos: [unnamed, photo])
        #expect(bundle.photos == [photo], "only the photos the events name travel")
        let read = try EventBundle(bytes: bundle.bytes)
        #expect(read.manifest == bundle.manifest)
        #expect(read.events == bundle.events && read.photos == bundle.photos)
        #expect(read.manifest.events == 6)
        let devices = [Fixture.reporterKey, Fixture.otherReporterKey].map(\.publicKey.deviceID).sorted()
        #expect(read.manifest.authors.map(\.device) == devices)
        let author = try #require(read.manifest.authors.first { $0.device == Fixture.reporterKey.publicKey.deviceID })
        #expect(author.firstSeq == 1 && author.lastSeq == 4 && author.prevHash == .zero)
        #expect(author.lastHash == events.last!.hash)
        #expect(read.manifest.contentSha256 == .hash(bundle.bytes.split(separator: 0x0a, maxSplits: 1)[1]))
    }

    @Test func everyCutIsRefusedAndNamedTruncatedOnceTheManifestIsWhole() throws {
        let bundle = try EventBundle(events: Self.chain(3, key: Fixture.reporterKey), photos: [])
        let bytes = bundle.bytes
        let manifestEnd = bytes.firstIndex(of: 0x0a)!
        for length in stride(from: 0, to: bytes.count, by: 37) {
            let problem = Self.problem(Array(bytes.prefix(length)))
            #expect(problem != nil, "cut at \(length)")
            if length > manifestEnd { #expect(problem?.kind == .truncated, "cut at \(length)") }
        }
    }

    static func problem(_ bytes: [UInt8]) -> BundleProblem? {
        do {
            _ = try EventBundle(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func aGapOrABrokenLinkNamesTheDeviceAndTheSeq() throws {
        let events = Self.chain(5, key: Fixture.reporterKey)
        let device = Fixture.reporterKey.publicKey.deviceID
        let gap = Self.problem(events: [events[0], events[1], events[3], events[4]])
        #expect(gap?.kind == .chainBroken && gap?.device == device && gap?.seq == 3, "\(String(describing: gap))")
        #expect(gap?.detail.contains("seq 3 is missing from the middle") == true)

        var other = DeviceChain(device: device, lastSeq: 2, lastHash: .hash([1]))
        let unlinked = try other.sign(
            EventDraft(
                payload: events[2].payload, subject: events[2].subject, time: events[2].time), key: Fixture.reporterKey)
        let broken = Self.problem(events: [events[0], events[1], unlinked])
        #expect(broken?.kind == .chainBroken && broken?.seq == 3, "\(String(describing: broken))")
        #expect(broken?.detail.contains("not the hash of seq 2") == true)
    }

    static func problem(events: [Event]) -> BundleProblem? {
        do {
            _ = try EventBundle(events: events, photos: [])
            return nil
        } catch {
            return error
        }
    }

    @Test func mergingJoinsRunsOnceAndRefusesTwoChainsOfOneDevice() throws {
        let reporter = Self.chain(5, key: Fixture.reporterKey)
        let other = Self.chain(2, key: Fixture.otherReporterKey)
        let first = try EventBundle(events: Array(reporter[0..<3]) + other, photos: [])
        let second = try EventBundle(events: Array(reporter[2..<5]), photos: [])
        let merged = try EventBundle.merging([first, second])
        #expect(merged.events.count == 7)
        #expect(Set(merged.events) == Set(reporter + other))
        #expect(try EventBundle(bytes: merged.bytes).manifest == merged.manifest)

        let fork = try EventBundle(events: Self.chain(1, key: Fixture.reporterKey, votes: 99), photos: [])
        #expect {
            try EventBundle.merging([first, fork])
        } throws: { error in
            let problem = error as? BundleProblem
            return problem?.kind == .chainsDiffer && problem?.seq == 1
        }

        let late = try EventBundle(events: Array(reporter[4...]), photos: [])
        let apart = try EventBundle(events: Array(reporter[0..<2]), photos: [])
        #expect {
            try EventBundle.merging([apart, late])
        } throws: { error in
            (error as? BundleProblem)?.kind == .chainBroken && (error as? BundleProblem)?.seq == 3
        }
    }

    @Test func changedBytesAreTamperedEvenWhenTheChainsHold() throws {
        let reporter = Self.chain(2, key: Fixture.reporterKey)
        let photo = try BundlePhoto(bytes: Self.jpeg)
        let events = reporter + [Self.resultNaming(photo.reference, after: reporter, key: Fixture.reporterKey)]
        var bytes = try EventBundle(events: events, photos: [photo]).bytes
        // A letter of the photo's base64url: its bytes no longer hash to its name.
        let start = try #require(bytes.indices.last { bytes[$0...].starts(with: Array(#"{"bytes":""#.utf8)) })
        let letter = start + 20
        bytes[letter] = bytes[letter] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let problem = Self.problem(bytes)
        #expect(problem?.kind == .tampered, "\(String(describing: problem))")
        #expect(problem?.detail.contains("are not that photo") == true, "\(String(describing: problem))")
    }

    /// `Schema/vectors/bundles.json`, read from the file: each valid bundle reads with its manifest, each
    /// broken one is refused with its kind, and its device and seq when it names them.
    @Test func theBundleVectorsReadAsTheProtocolSays() throws {
        let vectors = try VectorTests.json("bundles.json")
        for item in vectors["valid"]!.arrayValue! {
            let bundle = try EventBundle(bytes: Array(item["bundle"]!.stringValue!.utf8))
            #expect(bundle.manifest.jsonValue == item["manifest"], "\(item["name"]!)")
        }
        for item in vectors["broken"]!.arrayValue! {
            let problem = Self.problem(Array(item["bundle"]!.stringValue!.utf8))
            let name = item["name"]!.stringValue!
            #expect(problem?.kind.rawValue == item["kind"]?.stringValue, "\(name): \(String(describing: problem))")
            #expect(problem?.device?.rawValue == item["device"]?.stringValue, "\(name)")
            #expect(problem?.seq == item["seq"]?.integerValue, "\(name)")
        }
    }
}
