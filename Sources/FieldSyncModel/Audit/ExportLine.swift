/// One line of an export file (PROTOCOL.md §12), read but not yet verified: a stored event, the signed
/// chain head that ends the file, or a line that cannot be read as either.
///
/// Reading a line needs nothing but its bytes, so many lines can be read at once; verifying them
/// (``ExportVerification``) goes in order.
public enum ExportLine: Sendable {
    case event(StoredEvent)
    case head(SignedChainHead)
    /// Not a stored event: what is wrong, and the position and id it claims, when they can be read.
    case unreadable(position: Int64?, id: EventID?, problems: [FieldError])

    /// Reads one line; a trailing line feed (or CR LF) is ignored. A line that is JSON but not in canonical
    /// form is not read further: it is ``unreadable(position:id:problems:)`` with a `not-canonical` problem.
    public init(bytes line: some Collection<UInt8>) {
        let bytes = Self.content(of: line)
        guard !bytes.isEmpty else {
            self = .unreadable(
                position: nil, id: nil,
                problems: [
                    FieldError(
                        field: "", code: .invalidJSON, problem: "the line is empty",
                        allowed: "one export line per event, then the signed chain head")
                ])
            return
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            self = .unreadable(position: nil, id: nil, problems: [EnvelopeDecoder.jsonError(error)])
            return
        }
        if let problem = Self.canonicalProblem(bytes, json) {
            self = .unreadable(
                position: json["position"]?.integerValue, id: json["id"]?.stringValue.flatMap { EventID($0) },
                problems: [problem])
            return
        }
        if let head = SignedChainHead(json: json) {
            self = .head(head)
            return
        }
        do {
            self = .event(try StoredEvent(json: json))
        } catch {
            self = .unreadable(
                position: json["position"]?.integerValue, id: json["id"]?.stringValue.flatMap { EventID($0) },
                problems: error.errors)
        }
    }

    /// The key the line's event is signed by, checked now against the keys `reference` knows (those in force
    /// before the line, or earlier: a device enrolled since is not found and is checked in order); nil
    /// when the line is no event, its key is not known, or the signature is not valid. Needs nothing but
    /// the line and the keys, so it runs on every core ahead of the checks in order.
    public func signatureCheck(in reference: ReferenceData) -> PublicKey? {
        guard case .event(let stored) = self, let key = EventValidator.signingKey(of: stored.event, in: reference),
            stored.event.isSignatureValid(by: key)
        else { return nil }
        return key
    }

    /// The bytes of a line without its trailing line feed (or CR LF).
    static func content(of line: some Collection<UInt8>) -> [UInt8] {
        var bytes = Array(line)
        if bytes.last == 0x0a { bytes.removeLast() }
        if bytes.last == 0x0d { bytes.removeLast() }
        return bytes
    }

    /// The problem with a line whose bytes are not the canonical form (PROTOCOL.md §3) of `json`, the value
    /// they parse to; nil when they are.
    static func canonicalProblem(_ bytes: [UInt8], _ json: JSONValue) -> FieldError? {
        let canonical = CanonicalJSON.bytes(json)
        guard canonical != bytes else { return nil }
        let offset = zip(bytes, canonical).prefix { $0 == $1 }.count
        return FieldError(
            field: "", code: .notCanonical,
            problem: "the line is JSON but not in canonical form: it differs from it at byte \(offset)",
            allowed: "the canonical form (RFC 8785) of the line's value, as the server exports it")
    }
}
