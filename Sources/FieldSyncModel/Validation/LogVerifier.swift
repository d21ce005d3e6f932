/// Checks an exported log line by line, as an auditor does, needing nothing but the log: each
/// line's position and global chain link, its signature by the key enrolled in the log itself, the
/// device chain, and the validation rules against the reference data in force at that point.
/// Then the server's signed chain head (``verifyHead(_:)``).
///
/// Keeps the events it has seen, to check corrections against the events they correct.
public struct LogVerifier: Sendable {
    public private(set) var reference = ReferenceData()
    public private(set) var chains: [DeviceID: DeviceChain] = [:]
    /// The position of the last line read; 0 before the first.
    public private(set) var position: Int64 = 0
    /// The global chain link of the last line read; ``GlobalChain/genesis`` before the first.
    public private(set) var chain = GlobalChain.genesis
    private var events: [EventID: Event] = [:]

    /// A verifier that has read nothing yet: the election's calendar comes from the log's own reference events.
    public init() {}

    /// Reads the next line of the log and returns every problem found with it; empty if none.
    /// The line is taken into account even if it has problems, so that one bad line does not hide
    /// the state of the lines after it. A line that cannot be read at all (not JSON, not in canonical
    /// form, not a stored event) counts as one position; the chain cannot go on past it, so the next
    /// line's link will not match.
    public mutating func verify(line: some Collection<UInt8>) -> [FieldError] {
        let bytes = ExportLine.content(of: line)
        let problems: [FieldError]
        do {
            let json = try JSONParser.parse(bytes)
            if let problem = ExportLine.canonicalProblem(bytes, json) {
                problems = [problem]
            } else {
                do {
                    return verify(try StoredEvent(json: json))
                } catch {
                    problems = error.errors
                }
            }
        } catch {
            problems = [EnvelopeDecoder.jsonError(error)]
        }
        position += 1
        return problems
    }

    /// Checks the next stored event of the log. `checkedKey`: a key its signature was already found valid
    /// by, ahead of the order (see ``EventValidator/verifySignature(of:checkedKey:)``).
    public mutating func verify(_ stored: StoredEvent, checkedKey: PublicKey? = nil) -> [FieldError] {
        var errors = [FieldError]()
        let event = stored.event
        if stored.position != position + 1 {
            errors.append(
                FieldError(
                    field: "position", code: .chainBroken, problem: "\(stored.position) does not follow \(position)",
                    allowed: "\(position + 1)"))
        }
        let expected = GlobalChain.link(
            previous: chain, position: stored.position, eventHash: event.hash, received: stored.received,
            signature: event.signature)
        if stored.chain != expected {
            errors.append(
                FieldError(
                    field: "chain", code: .chainBroken,
                    problem: "\(stored.chain.hex) is not the link after \(chain.hex) for this event",
                    allowed: expected.hex))
        }
        if events[event.id] != nil {
            errors.append(
                FieldError(
                    field: "id", code: .alreadyDefined, problem: "event \(event.id) appears twice in the log",
                    allowed: "an id used once"))
        }
        var deviceChain = chains[event.device] ?? DeviceChain(device: event.device)
        let chainProblem = deviceChain.problem(with: event)
        let (signatureProblem, ruleProblems) = referenceProblems(of: event, checkedKey: checkedKey)
        if let signatureProblem { errors.append(signatureProblem) }
        if let chainProblem { errors.append(chainProblem) }
        errors += ruleProblems

        position = stored.position
        chain = stored.chain
        deviceChain = DeviceChain(device: event.device, lastSeq: event.seq, lastHash: event.hash)
        chains[event.device] = deviceChain
        reference.apply(event)
        if events[event.id] == nil { events[event.id] = event }
        return errors
    }

    /// The problems of `event` with the reference data in force before it: with its signature (see
    /// ``verify(_:checkedKey:)``), and with the validation rules (a correction checked against the event it
    /// names).
    ///
    /// A function of its own so that the validator's share of ``reference`` is given up before the event is
    /// applied to it: applied while shared, each reference event would copy every station and device.
    private func referenceProblems(
        of event: Event, checkedKey: PublicKey?
    ) -> (signature: FieldError?, rules: [FieldError]) {
        let validator = EventValidator(reference: reference)
        var target = CorrectionTarget.notLookedUp
        if case .reportCorrected(let correction) = event.payload {
            target = events[correction.corrects].map { .found($0) } ?? .notFound
        }
        return (
            validator.verifySignature(of: event, checkedKey: checkedKey),
            validator.validate(event, correcting: target)
        )
    }

    /// Checks the server's signed chain head against the log read so far: its `type`, that its
    /// `position` and `chain` are those of the last line, and its signature by the server key
    /// announced in the log.
    public func verifyHead(_ head: JSONValue) -> [FieldError] {
        var errors = [FieldError]()
        guard var reader = ObjectReader(head, at: "", errors: &errors) else { return errors }
        if let type = reader.string("type", allowed: "\"fieldsync.chain-head.v1\""), type != "fieldsync.chain-head.v1" {
            reader.fail("type", .unknownType, "\"\(type)\" is not a chain head", allowed: "\"fieldsync.chain-head.v1\"")
        }
        if let value = reader.value("position", allowed: "the position of the last event"), value != .integer(position)
        {
            reader.fail(
                "position", .chainBroken, "\(value) is not the position of the last event of the log",
                allowed: "\(position)")
        }
        if let link = reader.digest("chain"), link != chain {
            reader.fail(
                "chain", .chainBroken, "\(link.hex) is not the link of the last event of the log", allowed: chain.hex)
        }
        _ = reader.time("time")
        _ = reader.parsed("signature", allowed: "base64url without padding of a 64-byte Ed25519 signature") {
            Base64URL.decode($0).flatMap { $0.count == 64 ? $0 : nil }
        }
        reader.finish(into: &errors, allowed: "only type, position, chain, time, signature")
        guard errors.isEmpty, case .object(let object) = head else { return errors }
        guard let server = reference.server else {
            return [
                FieldError(
                    field: "signature", code: .unknownDevice, problem: "the log has no server identity",
                    allowed: "a log starting with \(EventType.serverIdentified)")
            ]
        }
        if !SignedObject.isValid(object, signedBy: server.publicKey) {
            errors.append(
                FieldError(
                    field: "signature", code: .badSignature, problem: "not the server's signature of this head",
                    allowed: "an Ed25519 signature by \(server.publicKey.base64URL)"))
        }
        return errors
    }
}
