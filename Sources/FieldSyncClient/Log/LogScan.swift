import FieldSyncModel

/// Reads the bytes of a local log and checks every line, needing nothing but the device's public key:
/// each line is a canonical event of this device, signed by its key, following the one before in the
/// device chain (seq and prevhash), with an id used once. Pure: no I/O.
///
/// The last line is *torn* when it has no line feed or is not JSON, as a crash mid-write leaves it;
/// it is kept apart (``tornLine``) rather than reported as a problem. Every other fault is a
/// ``LogProblem``. Parsing and signature checks of large logs are spread over the processor's cores.
public struct LogScan: Sendable {
    public private(set) var entries: [LogEntry] = []
    public private(set) var problems: [LogProblem] = []
    public private(set) var tornLine: TornLine?
    /// The chain after the last good event.
    public private(set) var chain: DeviceChain
    private var linesByID: [EventID: Int] = [:]
    /// Whether the last event read had a bad signature.
    private var previousChanged = false

    init(device: DeviceID) {
        chain = DeviceChain(device: device)
    }

    /// Scans a whole log. With the device's private key (`signer`), each signature is first compared
    /// with the one the key makes for that event: Ed25519 signing is deterministic, so this device's
    /// signature of an event is exactly that, and making it costs half of verifying one. Only a line
    /// that differs is verified in full, so the answer is the same as verifying every line.
    public static func scan(_ bytes: [UInt8], key: PublicKey, signer: SigningKey? = nil) async -> LogScan {
        precondition(signer == nil || signer!.publicKey == key, "the signer must hold the key's private half")
        let device = key.deviceID
        var scan = LogScan(device: device)
        var lines = [(start: Int, end: Int)]()
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0a {
            lines.append((start, index))
            start = index + 1
        }
        var tail: TornLine?
        if start < bytes.count {
            tail = TornLine(
                line: lines.count + 1, offset: start, bytes: Array(bytes[start...]),
                reason: "no line feed at its end")
        }
        let readings = await read(lines.map { Array(bytes[$0.start..<$0.end]) }, key: key, signer: signer)
        for (index, reading) in readings.enumerated() {
            let lineNumber = index + 1
            if case .notJSON(let reason) = reading.outcome, index == readings.count - 1, tail == nil {
                tail = TornLine(
                    line: lineNumber, offset: lines[index].start, bytes: Array(bytes[lines[index].start...]),
                    reason: "not JSON: \(reason)")
                continue
            }
            scan.take(reading, lineNumber: lineNumber)
        }
        scan.tornLine = tail
        return scan
    }

    private mutating func take(_ reading: LineReading, lineNumber: Int) {
        switch reading.outcome {
        case .notJSON(let reason):
            problems.append(LogProblem(line: lineNumber, seq: nil, what: "not JSON: \(reason)"))
            previousChanged = true
        case .notEvent(let seq, let errors):
            let what = errors.prefix(3).map(\.description).joined(separator: "; ")
            problems.append(LogProblem(line: lineNumber, seq: seq, what: "not a valid event: \(what)"))
            previousChanged = true
        case .event(let event, let signatureValid, let canonical):
            // After a line changed in place, the next line's prevhash names the line as it was written:
            // that mismatch is the same fault, already reported.
            if let problem = chain.problem(with: event), !(problem.field == "prevhash" && previousChanged) {
                problems.append(LogProblem(line: lineNumber, seq: event.seq, what: Self.chainProblem(problem)))
            }
            previousChanged = !signatureValid
            if !signatureValid {
                problems.append(
                    LogProblem(
                        line: lineNumber, seq: event.seq,
                        what: "the signature is not this device's signature of the line: it was changed after it was"
                            + " written"))
            } else if !canonical {
                problems.append(
                    LogProblem(
                        line: lineNumber, seq: event.seq,
                        what: "the line is not in canonical form: it was rewritten after it was written"))
            }
            if let earlier = linesByID[event.id] {
                problems.append(
                    LogProblem(
                        line: lineNumber, seq: event.seq,
                        what: "event id \(event.id) was already used on line \(earlier)"))
            } else {
                linesByID[event.id] = lineNumber
            }
            // Go on from this event whatever its faults, so that one bad line does not hide the next.
            chain = DeviceChain(device: chain.device, lastSeq: event.seq, lastHash: event.hash)
            entries.append(LogEntry(event: event, line: reading.line, lineNumber: lineNumber))
        }
    }

    static func chainProblem(_ error: FieldError) -> String {
        switch error.field {
        case "source": "the event is not this device's: \(error.problem)"
        case "seq": "the chain is broken: seq \(error.problem) (expected seq \(error.allowed))"
        case "prevhash": "the chain is broken: prevhash \(error.problem)"
        default: error.description
        }
    }

    // MARK: Reading lines

    struct LineReading: Sendable {
        var line: [UInt8]
        var outcome: Outcome

        enum Outcome: Sendable {
            case notJSON(String)
            case notEvent(seq: Int64?, [FieldError])
            case event(Event, signatureValid: Bool, canonical: Bool)
        }
    }

    /// The fewest lines a child task reads: a log of fewer than twice this many is read by the calling
    /// task alone.
    static let minimumChunk = 256

    static func read(_ lines: [[UInt8]], key: PublicKey, signer: SigningKey?) async -> [LineReading] {
        await lines.concurrentMapChunks(minimumChunk: minimumChunk) { readChunk($0, key: key, signer: signer) }
    }

    static func readChunk(_ lines: ArraySlice<[UInt8]>, key: PublicKey, signer: SigningKey?) -> [LineReading] {
        var parser = EventParser()
        return lines.map { line in
            let json: JSONValue
            do throws(JSONParseError) {
                json = try JSONParser.parse(line)
            } catch {
                return LineReading(line: line, outcome: .notJSON("\(error)"))
            }
            let event: Event
            do throws(EventDecodingError) {
                event = try parser.decode(json)
            } catch {
                return LineReading(line: line, outcome: .notEvent(seq: json["seq"]?.integerValue, error.errors))
            }
            let canonical = CanonicalJSON.bytes(json) == line
            let signed = signer.map { $0.signature(for: event.hash) == event.signature } ?? false
            return LineReading(
                line: line,
                outcome: .event(event, signatureValid: signed || event.isSignatureValid(by: key), canonical: canonical))
        }
    }
}
