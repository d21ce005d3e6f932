import FieldSyncModel
import FieldSyncStore
import Hummingbird
import Logging
import Prometheus

extension FieldSyncServer {
    /// The media types a batch may be sent as.
    static let batchMediaTypes = ["application/cloudevents-batch+json", "application/json"]

    /// `POST /v1/events`: checks a reporter's batch, appends the valid events in one transaction, and
    /// answers with each event's result and a receipt for the batch signed by the server key. A batch
    /// none of whose events is valid is refused whole (422 `batch-invalid`, each event's result in the
    /// problem) and touches nothing.
    ///
    /// Also refused whole, storing nothing: a batch beyond the device's push rate (429 `push-rate-limited`,
    /// see ``PushRates``), before any of it is checked; and a batch of a device revoked by the time it is
    /// appended (403 `device-revoked`), which the store checks under its append lock, so that no event is
    /// stored after its device's revocation even when the revocation races the push.
    ///
    /// Once its body is read, the batch is checked and stored with the photos' pieces held back
    /// (``EventsFirst``): events before photos.
    func pushEvents(_ request: Request, caller: Caller) async throws -> Response {
        let started = ContinuousClock.now
        try request.requireMediaType(Self.batchMediaTypes)
        let body = try await request.collectBody(limit: configuration.maximumBodyBytes)
        return try await eventsFirst.storingEvents {
            try await storeBatch(body, caller: caller, started: started)
        }
    }

    /// Checks and stores the batch `body` of `caller`, received since `started`: the answer.
    private func storeBatch(
        _ body: ByteBuffer, caller: Caller, started: ContinuousClock.Instant
    ) async throws
        -> Response
    {
        let json: JSONValue
        do {
            json = try JSONParser.parse(body.readableBytesView)
        } catch {
            throw Problem(.invalidJSON, "the batch is not valid JSON: \(error)")
        }
        guard case .array(let elements) = json else {
            throw Problem.invalidRequest(
                field: "", code: .wrongType, problem: "expected an array of events, found \(json.kindDescription)",
                allowed: "a JSON array of CloudEvents (application/cloudevents-batch+json)")
        }
        guard elements.count <= configuration.maximumBatchEvents else {
            throw Problem(
                .batchTooLarge,
                "the batch has \(elements.count) events; at most \(configuration.maximumBatchEvents) are accepted at once"
            )
        }

        try pushRates.take(elements.count, for: caller.device)

        let check = try await batchCheck(for: caller)
        var checked = await check.check(elements)
        try await checkCorrections(&checked, with: check)

        let valid = checked.enumerated().compactMap { index, item -> (Int, Event)? in
            if case .valid(let event) = item { return (index, event) }
            return nil
        }
        let refused = checked.enumerated().compactMap { index, item -> PushResult? in
            guard case .invalid(let id, let seq, let errors) = item else { return nil }
            return PushResult(index: index, id: id, seq: seq, outcome: .invalid(errors))
        }
        if !checked.isEmpty && refused.count == checked.count {
            // Nothing storable: refuse the batch whole, before the store is touched.
            count(refused)
            metrics.batchLatency.record(ContinuousClock.now - started)
            throw Problem.batchInvalid(refused)
        }
        let appendResult: AppendResult
        do {
            appendResult = try await events.append(
                valid.map { EventRecord(event: $0.1) },
                conflictsKeptPerDevice: configuration.maximumRecordedConflictsPerDevice)
        } catch is DevicesRevoked {
            throw Problem(.deviceRevoked, "device \(caller.device) was revoked before its batch could be stored")
        }
        metrics.conflictsNotRecorded.increment(by: Int64(appendResult.conflictsNotRecorded))
        var results = checked.enumerated().map { index, item -> PushResult in
            switch item {
            case .invalid(let id, let seq, let errors):
                PushResult(index: index, id: id, seq: seq, outcome: .invalid(errors))
            case .valid(let event), .correction(let event):
                PushResult(index: index, id: event.id.description, seq: event.seq, outcome: .invalid([]))
            }
        }
        for ((index, _), outcome) in zip(valid, appendResult.outcomes) {
            results[index].outcome = PushOutcome(outcome)
        }
        count(results)
        let receipt = Receipt(
            device: caller.device, results: results, headPosition: appendResult.head.position,
            headChain: appendResult.head.chain, time: .now())
        // The batch is stored: a proof that cannot be made (a tree not kept with the events) must not turn
        // the answer into a failure, which the device would retry forever. It goes without one, as from a
        // server older than the proofs.
        let proof: ReceiptProof?
        do {
            proof = try await receiptProof(for: receipt)
        } catch {
            logger.error("no proof for a batch receipt of \(caller.device): \(error)")
            proof = nil
        }
        metrics.batchLatency.record(ContinuousClock.now - started)
        return JSONResponse.make(
            PushAnswer(results: results, receipt: receipt.signed(with: author.key), proof: proof?.jsonValue)
                .jsonValue(device: caller.device))
    }

    /// The proof that `receipt`'s events are in the log: a signed tree head that covers them (signed at
    /// once when the latest does not, see ``TreeHeadSigner/covering(_:)``) and a range proof in its tree
    /// for each run of consecutive positions stored together; nil for a receipt of no events.
    private func receiptProof(for receipt: Receipt) async throws -> ReceiptProof? {
        guard let last = receipt.events.map(\.position).max() else { return nil }
        let head = try await treeHeads.covering(last)
        let ranges = try await events.receiptRanges(positions: receipt.events.map(\.position), size: head.head.size)
        return ReceiptProof(
            treeHead: try JSONParser.parse(Array(head.document.utf8)).objectValue ?? [:], ranges: ranges)
    }

    /// The checks for the caller's events, with the reference data read again if it does not know the
    /// device yet (enrolled by another process).
    private func batchCheck(for caller: Caller) async throws -> BatchCheck {
        var snapshot = await reference.snapshot
        if snapshot.data.devices[caller.device] == nil { snapshot = try await reference.refresh() }
        guard let enrolled = snapshot.data.devices[caller.device] else {
            throw Problem(.forbidden, "device \(caller.device) has credentials but no enrollment in the log")
        }
        if let reason = enrolled.revocationReason {
            throw Problem(.deviceRevoked, "device \(caller.device) was revoked: \(reason)")
        }
        return BatchCheck(
            device: caller.device, key: enrolled.publicKey,
            validator: EventValidator(reference: snapshot.data))
    }

    /// Checks the batch's corrections against the events they correct: earlier valid events of the batch,
    /// or stored events.
    func checkCorrections(_ checked: inout [BatchCheck.Checked], with check: BatchCheck) async throws {
        var wanted = Set<EventID>()
        for item in checked {
            if case .correction(let event) = item, case .reportCorrected(let correction) = event.payload {
                wanted.insert(correction.corrects)
            }
        }
        guard !wanted.isEmpty else { return }
        var earlier = [EventID: Event]()
        for record in try await events.events(ids: wanted.map(\.description)) {
            let stored = try record.storedEvent()
            earlier[stored.event.id] = stored.event
        }
        for index in checked.indices {
            switch checked[index] {
            case .valid(let event):
                if wanted.contains(event.id) { earlier[event.id] = event }
            case .correction(let event):
                checked[index] = check.checkCorrection(event, earlier: earlier)
                if case .valid = checked[index], wanted.contains(event.id) { earlier[event.id] = event }
            case .invalid:
                break
            }
        }
    }

    private func count(_ results: [PushResult]) {
        var appended: Int64 = 0
        var duplicates: Int64 = 0
        var conflicts: Int64 = 0
        var invalid: Int64 = 0
        var gaps: Int64 = 0
        for result in results {
            switch result.outcome {
            case .appended: appended += 1
            case .duplicate: duplicates += 1
            case .conflict: conflicts += 1
            case .invalid: invalid += 1
            case .gap: gaps += 1
            }
        }
        metrics.appended.increment(by: appended)
        metrics.duplicates.increment(by: duplicates)
        metrics.conflicts.increment(by: conflicts)
        metrics.invalid.increment(by: invalid)
        metrics.gaps.increment(by: gaps)
    }
}
