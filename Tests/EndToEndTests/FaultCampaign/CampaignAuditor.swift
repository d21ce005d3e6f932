import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import FieldSyncTestSupport
import Foundation

/// The campaign's auditor, who never crashes: it keeps an export of the server's log up to date with
/// the code of `fieldsync audit export`, verifies each new line as `fieldsync audit verify` does (position,
/// global chain, signature by the enrolled key, device chain, validation; the signed head), folds the
/// events into tallies of its own, and remembers which event of which device the server holds and which
/// photos the events name.
///
/// Everything is incremental, so checking after every fault costs what the fault added, not the whole
/// log; ``verifyWholeLog(_:)`` runs the real `fieldsync audit export`, `audit verify` and `audit replay
/// --compare` over everything, from scratch.
struct CampaignAuditor {
    let server: ServerUnderTest
    let token: String
    let exportFile: String
    /// Where the event lines of the export end (the signed head follows them).
    private var verifiedBytes: UInt64 = 0
    private var verifier = LogVerifier()
    private(set) var tally = ElectionTally()
    /// Each device's events on the server: seq → event hash.
    private(set) var held: [DeviceID: [Int64: SHA256Digest]] = [:]
    /// The photos the stored events name, each with what every event naming it says of it.
    private(set) var photos: [SHA256Digest: Set<PhotoReference>] = [:]
    /// Events seen twice: the same id, or the same seq of a device.
    private(set) var duplicated = 0
    private var ids = Set<EventID>()
    /// Where the server's signed head stands.
    private(set) var head: Int64 = 0

    init(server: ServerUnderTest, token: String, folder: String) {
        self.server = server
        self.token = token
        self.exportFile = folder + "/audit-export.ndjson"
    }

    /// Brings the export up to date and verifies what is new; the problems found (none when the log is
    /// sound). The export runs in this process, through the same ``ExportDownload`` that `fieldsync audit
    /// export` runs, over real HTTP: a process per check would cost more than the check.
    mutating func catchUp() async throws -> [String] {
        do {
            let credentials = try ReadCredentials(server: server.url, token: token)
            _ = try await ExportDownload(server: AuditServer(credentials: credentials), path: exportFile).run()
        } catch {
            return ["the export failed: \(error)"]
        }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: exportFile))
        defer { try? handle.close() }
        try handle.seek(toOffset: verifiedBytes)
        let bytes = try handle.readToEnd() ?? Data()
        var lines = Array(bytes).split(separator: 0x0a, omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true else { return ["the export does not end with a line feed"] }
        lines.removeLast()
        guard let headLine = lines.popLast(), let signed = SignedChainHead(bytes: headLine) else {
            return ["the export does not end with the server's signed head"]
        }
        var problems = [String]()
        var batch = [StoredEvent]()
        for line in lines {
            guard case .event(let stored) = ExportLine(bytes: line) else {
                problems.append(
                    "an export line that is not an event: \(String(decoding: line.prefix(120), as: UTF8.self))")
                continue
            }
            let errors = verifier.verify(stored)
            if !errors.isEmpty {
                problems.append("position \(stored.position): \(errors.map(\.description).joined(separator: "; "))")
            }
            let event = stored.event
            if !ids.insert(event.id).inserted || held[event.device]?[event.seq] != nil { duplicated += 1 }
            held[event.device, default: [:]][event.seq] = event.hash
            if let photo = NamedPhoto.photo(of: event.payload) { photos[photo.sha256, default: []].insert(photo) }
            batch.append(stored)
            verifiedBytes += UInt64(line.count + 1)
        }
        _ = tally.apply(batch)
        let headErrors = verifier.verify(signed)
        if !headErrors.isEmpty {
            problems.append("the signed head: \(headErrors.map(\.description).joined(separator: "; "))")
        }
        head = signed.position ?? -1
        return problems
    }

    /// Compares the server's tallies with this auditor's fold, once the projector has reached the head:
    /// each of `seats` with its stations and, when `overview`, the city, the districts and every seat.
    /// The differences.
    func compareTallies(seats: Set<ConstituencyCode>, overview: Bool) async throws -> [String] {
        let ordered = seats.sorted()
        guard let first = ordered.first else { return [] }
        // Every tally document carries the projector's position: wait on the first seat's.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(300)
        var firstAnswer = try await tallies("/v1/tallies/\(first)")
        while firstAnswer["position"]?.integerValue != head {
            guard clock.now < deadline else {
                return [
                    "the projector stands at \(firstAnswer["position"]?.integerValue ?? -1), not at the head \(head)"
                ]
            }
            try await Task.sleep(for: .milliseconds(20))
            firstAnswer = try await tallies("/v1/tallies/\(first)")
        }
        var differences = [TallyDifference]()
        for seat in ordered {
            let answer = seat == first ? firstAnswer : try await tallies("/v1/tallies/\(seat)")
            guard let mine = TallyDocuments.constituency(tally, seat, cutoff: nil) else {
                return ["no tally of \(seat) in the fold"]
            }
            differences += TallyComparison.constituency(replayed: mine, served: answer)
        }
        if overview {
            differences += TallyComparison.overview(
                replayed: TallyDocuments.overview(tally, cutoff: nil), served: try await tallies("/v1/tallies"))
        }
        return differences.map(\.description)
    }

    /// The whole log checked from scratch by the real programs: `fieldsync audit export --photos` into a
    /// new file (the photos into one folder, which each round tops up), `fieldsync audit verify --photos`
    /// on it, and `fieldsync audit replay --compare` against the server's tallies. The failures.
    func verifyWholeLog(_ round: Int) async throws -> [String] {
        let file = exportFile.replacingOccurrences(of: ".ndjson", with: "-whole-\(round).ndjson")
        let photos = server.folder + "/audit-photos"
        let export = try await Program.run(
            ["audit", "export", "--server", server.url, "--token", token, "--out", file, "--photos", photos],
            logFolder: server.folder)
        guard export.status == 0 else { return ["fieldsync audit export --photos: \(export)"] }
        var failures = [String]()
        let verify = try await Program.run(["audit", "verify", file, "--photos", photos], logFolder: server.folder)
        if verify.status != 0 { failures.append("fieldsync audit verify --photos: \(verify)") }
        let replay = try await Program.run(
            ["audit", "replay", file, "--compare", server.url, "--token", token], logFolder: server.folder)
        if replay.status != 0 { failures.append("fieldsync audit replay --compare: \(replay)") }
        try? FileManager.default.removeItem(atPath: file)
        return failures
    }

    private func tallies(_ path: String) async throws -> JSONValue {
        let answer = try await HTTP.get(server.url + path, token: token)
        guard answer.status == 200 else { throw E2EError("GET \(path): \(answer.status) \(answer.text)") }
        return try answer.json()
    }
}
