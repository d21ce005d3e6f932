import FieldSyncModel

/// Reads and checks the events of one pushed batch, as a device of the caller's: each must decode, name
/// the caller as its source, be an observation, carry a valid signature by the device's enrolled key,
/// and pass ``EventValidator``.
///
/// Verifying signatures dominates the cost, so large batches are checked in chunks by parallel child
/// tasks on Swift's cooperative pool (`concurrentMapChunks`), never on the HTTP event loops. Corrections
/// are checked apart, once the events they correct have been looked up.
struct BatchCheck: Sendable {
    let device: DeviceID
    let key: PublicKey
    let validator: EventValidator

    /// One element of the batch, checked.
    enum Checked: Sendable {
        /// Passed every check.
        case valid(Event)
        /// A correction that passed every check but those needing the corrected event.
        case correction(Event)
        /// Refused, with every problem found and the id and seq when they could be read.
        case invalid(id: String?, seq: Int64?, [FieldError])
    }

    /// The fewest events a child task checks: a batch of fewer than twice this many is checked by the
    /// calling task alone.
    static let minimumChunk = 32

    func check(_ elements: [JSONValue]) async -> [Checked] {
        await elements.concurrentMapChunks(minimumChunk: Self.minimumChunk) { checkChunk($0) }
    }

    private func checkChunk(_ elements: ArraySlice<JSONValue>) -> [Checked] {
        var parser = EventParser()
        return elements.map { checkOne($0, parser: &parser) }
    }

    private func checkOne(_ json: JSONValue, parser: inout EventParser) -> Checked {
        let id = json["id"]?.stringValue
        let seq = json["seq"]?.integerValue
        let event: Event
        do {
            event = try parser.decode(json)
        } catch {
            return .invalid(id: id, seq: seq, error.errors)
        }
        guard event.device == device else {
            return .invalid(
                id: id, seq: seq,
                [
                    FieldError(
                        field: "source", code: .sourceMismatch,
                        problem: "\(event.source) is not the device these credentials belong to", allowed: device.source
                    )
                ])
        }
        var errors = [FieldError]()
        if event.type.isReference {
            errors.append(
                FieldError(
                    field: "type", code: .notAllowed,
                    problem: "\(event.type) is reference data, which only the server makes",
                    allowed: "an observation type"))
        }
        if !event.isSignatureValid(by: key) {
            errors.append(
                FieldError(
                    field: "signature", code: .badSignature,
                    problem: "not a valid Ed25519 signature of the event hash \(event.hash.hex)",
                    allowed: "the signature by the key enrolled for \(device)"))
        }
        if event.type == .reportCorrected && errors.isEmpty { return .correction(event) }
        errors += validator.validate(event)
        return errors.isEmpty ? .valid(event) : .invalid(id: id, seq: seq, errors)
    }

    /// Checks the corrections of a batch once the events they correct are known: `earlier` holds the
    /// valid events of the batch and the stored events, by id.
    func checkCorrection(_ event: Event, earlier: [EventID: Event]) -> Checked {
        guard case .reportCorrected(let correction) = event.payload else { return .valid(event) }
        let target: CorrectionTarget = earlier[correction.corrects].map { .found($0) } ?? .notFound
        let errors = validator.validate(event, correcting: target)
        return errors.isEmpty ? .valid(event) : .invalid(id: event.id.description, seq: event.seq, errors)
    }
}
