import FieldSyncModel

/// Pushes what the server lacks of this device's log, in order and in batches, and keeps the server's
/// signed receipts; then refreshes the reference data.
///
/// Safe to stop at any instant and to run again: the log is only read; each batch is idempotent on the
/// server (an event it holds is answered `duplicate`); the sync state is replaced atomically after each
/// receipt is kept; and every run starts from the server's own head. Nothing is lost, nothing is
/// stored twice.
public struct SyncEngine: Sendable {
    /// How a sync runs.
    public struct Options: Sendable {
        /// Events per `POST /v1/events`; halved when the server answers 413.
        public var batchSize: Int
        public var backoff: Backoff
        /// Whether to refresh the reference data at the end.
        public var refreshReference: Bool

        public init(batchSize: Int = 500, backoff: Backoff = Backoff(), refreshReference: Bool = true) {
            self.batchSize = batchSize
            self.backoff = backoff
            self.refreshReference = refreshReference
        }
    }

    public let home: ClientHome
    public let profile: Profile
    public let key: SigningKey
    public var options: Options
    /// Told of progress and retries, for a progress bar; called on the syncing task.
    public var progress: @Sendable (SyncProgress) -> Void

    public init(
        home: ClientHome, profile: Profile, key: SigningKey, options: Options = Options(),
        progress: @escaping @Sendable (SyncProgress) -> Void = { _ in }
    ) {
        self.home = home
        self.profile = profile
        self.key = key
        self.options = options
        self.progress = progress
    }

    /// Syncs over `api` and reports how it went; never throws.
    public func run(api: ServerAPI) async -> SyncReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report = SyncReport(device: profile.device, server: profile.server)
        do {
            try await FileLock.withLock(home.syncLock, timeout: .seconds(2)) {
                try await sync(api: api, report: &report)
            }
        } catch let stop as SyncFailure {
            report.outcome = stop.outcome
            report.message = stop.message
        } catch is LockTimeout {
            report.outcome = .failed
            report.message = "another `fieldsync sync` is running for this profile (\(home)); let it finish"
        } catch {
            report.outcome = .failed
            report.message = "\(error)"
        }
        report.duration = clock.now - started
        if report.outcome != .synced, report.outcome != .logProblem {
            // Remember the attempt; a failure to write it must not hide the sync's own outcome.
            if var state = try? SyncState.load(home: home) {
                state.lastAttempt = ReporterClock.system()
                state.lastOutcome = report.outcome.rawValue
                state.lastMessage = report.message
                try? state.save(home: home)
            }
        }
        return report
    }

    /// The sync itself; `report` holds what is known so far when it throws.
    private func sync(api: ServerAPI, report: inout SyncReport) async throws {
        guard profile.role == .reporter else {
            throw SyncFailure(
                .failed,
                "this profile is enrolled as \(profile.role.rawValue): only a reporter's device pushes observations")
        }
        let log = try await FileLock.withLock(home.logLock) { try await LocalLog.open(home: home, key: key) }
        report.localSeq = log.lastSeq
        report.quarantined = log.quarantined
        if let quarantined = log.quarantined { progress(.notice(quarantined.description)) }
        guard log.isIntact else {
            report.outcome = .logProblem
            report.logProblems = log.problems
            do {
                try log.requireIntact()
            } catch {
                report.message = error.description
            }
            return
        }
        var state = try SyncState.load(home: home)
        state.lastAttempt = ReporterClock.system()

        let head = try await retrying(&report) { () async throws(ServerAPIError) in
            try await api.head(of: profile.device)
        }
        report.serverSeq = head.seq
        let start = SyncCursor.start(
            last: log.lastSeq, hash: { log.entry(seq: $0)?.event.hash }, server: head, receipted: state.receiptedSeq)
        var stop: SyncStop?
        switch start {
        case .failure(let found):
            stop = found
        case .success(var cursor):
            if state.receiptedSeq > head.seq {
                progress(
                    .notice(
                        "the server holds only up to seq \(head.seq) of this device though receipts cover up to seq"
                            + " \(state.receiptedSeq): pushing those events again"))
                state.receiptedSeq = head.seq
            }
            stop = try await push(log: log, cursor: &cursor, state: &state, report: &report, api: api)
            report.serverSeq = cursor.acknowledged
        }

        if let stop {
            describe(stop, log: log, state: &state, report: &report)
        } else {
            try await pushPhotos(log: log, report: &report, api: api)
            report.outcome = .synced
            state.conflicts = []
            state.refused = []
        }
        if options.refreshReference {
            report.reference = try await refreshReference(api: api, state: &state, report: &report)
            if profile.role == .reporter { report.assignment = await refreshAssignment(api: api, report: &report) }
        }
        if report.outcome == .synced {
            state.lastSync = ReporterClock.system()
            report.message = summary(report)
        }
        state.lastOutcome = report.outcome.rawValue
        state.lastMessage = report.message
        try state.save(home: home)
    }

    // MARK: Pushing

    private func push(
        log: LocalLog, cursor: inout SyncCursor, state: inout SyncState, report: inout SyncReport, api: ServerAPI
    ) async throws -> SyncStop? {
        var batchSize = max(1, options.batchSize)
        let first = cursor.next
        let total = cursor.last - first + 1
        if !cursor.isDone { progress(.pushing(total: total)) }
        // The state is saved at most once a second while pushing, and whenever the push ends: it only
        // spares the next sync some work (the server's head is asked anyway, and a receipt kept but not
        // yet counted in the state is fetched again as duplicates).
        let clock = ContinuousClock()
        var saved = clock.now
        defer { try? state.save(home: home) }
        while let range = cursor.nextBatch(size: batchSize) {
            var body = [UInt8]()
            body.reserveCapacity(range.count * 700)
            body.append(UInt8(ascii: "["))
            for seq in range {
                guard let entry = log.entry(seq: seq) else { throw SyncFailure(.failed, "the log has no seq \(seq)") }
                if seq != range.lowerBound { body.append(UInt8(ascii: ",")) }
                body += entry.line
            }
            body.append(UInt8(ascii: "]"))

            let answer: PushAnswer
            do {
                answer = try await retrying(&report) { () async throws(ServerAPIError) in
                    try await api.push(batch: body)
                }
            } catch let failure as SyncFailure where failure.status == 413 && range.count > 1 {
                batchSize = max(1, range.count / 2)
                progress(.notice("the server found the batch too large: sending \(batchSize) events at a time"))
                continue
            }
            report.batches += 1
            report.sent += Int64(range.count)
            for result in answer.results {
                switch result.outcome {
                case .appended: report.appended += 1
                case .duplicate: report.duplicates += 1
                default: break
                }
            }
            if let receipt = answer.receipt {
                try keepReceipt(receipt, proof: answer.proof, log: log, state: &state, report: &report)
            }
            let stop = cursor.take(answer.results, for: range)
            state.serverSeq = cursor.acknowledged
            state.serverHash = log.entry(seq: cursor.acknowledged)?.event.hash ?? .zero
            report.serverSeq = cursor.acknowledged
            if clock.now - saved >= .seconds(1) {
                try state.save(home: home)
                saved = clock.now
            }
            progress(.pushed(done: min(total, max(0, cursor.next - first)), total: total))
            if let stop { return stop }
        }
        return nil
    }

    /// Verifies a batch receipt and its proof (a server older than the proofs sends none) and keeps them;
    /// moves the receipted seq on.
    private func keepReceipt(
        _ receipt: [String: JSONValue], proof: JSONValue?, log: LocalLog, state: inout SyncState,
        report: inout SyncReport
    ) throws {
        let delivered: [Receipt.Delivered]
        let kept: KeptProof?
        do {
            delivered = try ReceiptBook.verify(
                receipt, serverKey: profile.serverKey, device: profile.device, localID: { log.entry(seq: $0)?.event.id }
            )
            kept = try proof.map { proof throws(ReceiptProblem) in
                try ReceiptBook.verifyProof(
                    proof, delivered: delivered, serverKey: profile.serverKey, localEvent: { log.entry(seq: $0)?.event }
                )
            }
        } catch {
            throw SyncFailure(
                .untrustedServer,
                "the server's receipt does not hold up: \(error). Nothing was marked as delivered; check that"
                    + " \(profile.server) is the server this device enrolled with")
        }
        guard !delivered.isEmpty else { return }
        try ReceiptBook.keep(receipt, home: home)
        if let kept { try ReceiptBook.keep(kept, home: home) }
        state.receipts += 1
        report.receiptsKept += 1
        for item in delivered.sorted(by: { $0.seq < $1.seq }) where item.seq == state.receiptedSeq + 1 {
            state.receiptedSeq = item.seq
        }
    }

    // MARK: Reference data

    private func refreshReference(
        api: ServerAPI, state: inout SyncState, report: inout SyncReport
    ) async throws -> ReferenceRefresh {
        let cached = DurableFile.exists(home.reference) ? state.referenceETag : nil
        let answer: ServerAPI.ReferenceAnswer
        do {
            answer = try await retrying(&report) { () async throws(ServerAPIError) in
                try await api.reference(ifNoneMatch: cached)
            }
        } catch let failure as SyncFailure {
            return .failed(failure.message)
        }
        switch answer {
        case .unchanged:
            state.referenceFetched = ReporterClock.system()
            if profile.election == nil { try keepElection(try CachedReference.load(home: home)?.data.election) }
            return .unchanged
        case .changed(let body, let etag):
            let reference: CachedReference
            do {
                reference = try CachedReference.verify(body, serverKey: profile.serverKey)
            } catch {
                report.outcome = .untrustedServer
                report.message = "the server's reference data does not hold up: \(error); the cached copy was kept"
                return .failed(error.description)
            }
            try CachedReference.save(body, home: home)
            try keepElection(reference.data.election)
            state.referenceETag = etag
            state.referenceFetched = ReporterClock.system()
            return .updated(stations: reference.data.stations.count, candidates: reference.data.candidates.count)
        }
    }

    /// Keeps the election the reference data defines in the profile, when it is not the one kept there.
    private func keepElection(_ election: ElectionDefinition?) throws {
        guard let election, election != profile.election else { return }
        var updated = profile
        updated.election = election
        try ProfileStore(home: home).save(updated)
    }

    /// Fetches this device's assignments and keeps them beside the reference data; nil when they could
    /// not be fetched (the cached ones are kept). Assignments not signed by the pinned key are untrusted.
    private func refreshAssignment(api: ServerAPI, report: inout SyncReport) async -> StationCoverage? {
        do {
            let lines = try await api.assignment(of: profile.device)
            return try CachedReference.saveAssignment(
                lines, of: profile.device, serverKey: profile.serverKey, home: home)
        } catch let problem as ReferenceProblem {
            report.outcome = .untrustedServer
            report.message =
                "the server's assignment of this device does not hold up: \(problem); the cached copy was kept"
            return nil
        } catch {
            return nil
        }
    }

    // MARK: Retrying

    /// Runs `call`, trying again after network errors and server failures with exponential backoff and
    /// jitter, until ``Backoff/giveUpAfter`` has passed since the first failure.
    func retrying<T: Sendable>(
        _ report: inout SyncReport, _ call: () async throws(ServerAPIError) -> T
    ) async throws -> T {
        let clock = ContinuousClock()
        var failingSince: ContinuousClock.Instant?
        var attempt = 0
        while true {
            do {
                return try await call()
            } catch {
                switch error {
                case .refused(let status, let problem):
                    throw SyncFailure(.refused, Self.refusal(status: status, problem: problem, server: profile.server))
                case .rejected(let status, let problem):
                    throw SyncFailure(.failed, error.description, status: status, problem: problem)
                case .badAnswer:
                    throw SyncFailure(.failed, error.description)
                case .unreachable, .serverFailure:
                    attempt += 1
                    let since = failingSince ?? clock.now
                    failingSince = since
                    let delay = options.backoff.delay(attempt: attempt, random: Double.random(in: 0..<1))
                    guard options.backoff.shouldRetry(elapsed: clock.now - since, nextDelay: delay) else {
                        let seconds = Int((clock.now - since) / .seconds(1))
                        throw SyncFailure(
                            .unreachable,
                            "gave up after \(attempt) attempts over \(seconds) s: \(error). Nothing is lost: run"
                                + " `fieldsync sync` again when the network is back")
                    }
                    report.retries += 1
                    progress(.retrying(reason: error.description, attempt: attempt, delay: delay))
                    try await Task.sleep(for: delay)
                }
            }
        }
    }

    static func refusal(status: Int, problem: ProblemDetails?, server: String) -> String {
        let detail = problem?.detail ?? "HTTP \(status)"
        switch problem?.kind {
        case .deviceRevoked:
            return "\(server) refused this device: \(detail). Its recorded events stay valid; ask an admin"
        case .unauthorized:
            return "\(server) does not know this device's credentials (\(detail)): is this the server it enrolled"
                + " with? A new enrollment needs `fieldsync init --force` with a new code"
        default:
            return "\(server) refused this device (HTTP \(status)): \(detail)"
        }
    }

    // MARK: Explaining

    private func describe(_ stop: SyncStop, log: LocalLog, state: inout SyncState, report: inout SyncReport) {
        let calendar = profile.calendar
        func about(_ seq: Int64) -> String {
            guard let event = log.entry(seq: seq)?.event else { return "seq \(seq)" }
            let recorded = EventSummary.clock(event.time, calendar: calendar)
            let what = EventSummary.line(event, calendar: calendar)
            return "seq \(seq) (\(EventSummary.kind(event.type)) at \(event.subject), recorded \(recorded): \(what))"
        }
        let unchanged = "The local log was not changed."
        switch stop {
        case .conflict(let conflict):
            report.outcome = .conflict
            report.conflict = conflict
            state.conflicts = [conflict]
            let why: String
            switch conflict.reason {
            case .answered(.sameIDOtherContent): why = "the server holds another event with the same id \(conflict.id)"
            case .answered(.sequenceTaken):
                why = "the server already holds another event of this device as seq \(conflict.seq)"
            case .answered(.chainMismatch): why = "its prevhash does not match the event the server holds before it"
            case .serverAhead, .diverged: why = conflict.detail
            }
            report.message =
                "conflict at \(about(conflict.seq)): \(why)"
                + (conflict.existingPosition.map { " (stored at position \($0))" } ?? "") + ". " + unchanged
                + " This happens when one device key records from two copies of its home folder (a restored"
                + " backup, a copied laptop): ask the server's admin to compare them. Nothing more syncs from this"
                + " device until then."
        case .serverAhead(let serverSeq, let localSeq):
            report.outcome = .conflict
            let conflict = SyncConflict(
                seq: localSeq + 1, id: "", reason: .serverAhead, existingPosition: nil,
                detail: "the server holds \(serverSeq) events of this device; the local log has \(localSeq)")
            report.conflict = conflict
            state.conflicts = [conflict]
            report.message =
                "conflict: the server holds \(serverSeq) events of this device, but this log has only \(localSeq)."
                + " This log is older than the one that was synced (a restored backup?). " + unchanged
                + " Sync from the home folder that recorded them."
        case .diverged(let seq, let localHash, let serverHash):
            report.outcome = .conflict
            let conflict = SyncConflict(
                seq: seq, id: log.entry(seq: seq)?.event.id.description ?? "", reason: .diverged,
                existingPosition: nil,
                detail: "the server's event seq \(seq) has hash \(serverHash.hex), the local one \(localHash.hex)")
            report.conflict = conflict
            state.conflicts = [conflict]
            report.message =
                "conflict at \(about(seq)): the server holds another event under this seq"
                + " (hash \(serverHash.hex.prefix(12))…, local \(localHash.hex.prefix(12))…)."
                + " Two copies of this device's log went different ways. "
                + unchanged
                + " Ask the server's admin to compare them."
        case .invalid(let refused):
            report.outcome = .invalid
            report.refused = refused
            state.refused = refused
            var lines = ["the server refused \(refused.count) event\(refused.count == 1 ? "" : "s") as invalid:"]
            for event in refused {
                lines.append("  \(about(event.seq)):")
                lines += event.errors.map { "    \($0)" }
            }
            lines.append(
                "Later events wait behind the first one: the server takes a device's events only in order. "
                    + unchanged + " The reference data is refreshed below; if the server's rules changed since this"
                    + " event was recorded, ask the server's admin.")
            report.message = lines.joined(separator: "\n")
        case .stalled(let expected):
            report.outcome = .failed
            report.message =
                "the server kept asking for seq \(expected) without taking it; try again later. " + unchanged
        case .incompleteAnswer(let sent, let answered):
            report.outcome = .failed
            report.message = "the server answered for \(answered) of \(sent) events; try again. " + unchanged
        }
    }

    private func summary(_ report: SyncReport) -> String {
        var text: String
        if report.sent == 0 {
            text = "Up to date: the server holds all \(report.localSeq) events of this device."
        } else {
            text = "Synced: \(report.appended) new event\(report.appended == 1 ? "" : "s") stored"
            if report.duplicates > 0 { text += ", \(report.duplicates) already there" }
            text +=
                " (\(report.batches) batch\(report.batches == 1 ? "" : "es")); the server holds all \(report.localSeq)."
        }
        if report.photosSent > 0 {
            text += " \(report.photosSent) photo\(report.photosSent == 1 ? "" : "s") sent."
        }
        for problem in report.photoProblems { text += "\nPhoto not sent: " + problem }
        switch report.reference {
        case .updated(let stations, let candidates):
            text += " Reference data updated: \(stations) stations, \(candidates) candidates."
        case .failed(let why):
            text += " The reference data could not be refreshed (\(why)); the cached copy is kept."
        case .unchanged, .skipped:
            break
        }
        return text
    }
}

/// Ends a sync early with an outcome and a message.
struct SyncFailure: Error {
    var outcome: SyncOutcome
    var message: String
    /// The HTTP status, for rejections.
    var status: Int?
    /// The server's problem, for rejections that came with one.
    var problem: ProblemDetails?

    init(_ outcome: SyncOutcome, _ message: String, status: Int? = nil, problem: ProblemDetails? = nil) {
        self.outcome = outcome
        self.message = message
        self.status = status
        self.problem = problem
    }
}
