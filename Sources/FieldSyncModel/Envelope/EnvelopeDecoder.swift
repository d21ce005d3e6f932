/// Reads the CloudEvents envelope of an event, with or without the server's fields, collecting
/// every problem.
enum EnvelopeDecoder {
    static let hashedMembers = [
        "specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data", "seq", "prevhash",
    ]
    static let serverMembers = ["position", "received", "chain"]

    static func jsonError(_ error: JSONParseError) -> FieldError {
        FieldError(
            field: "", code: .invalidJSON, problem: error.description,
            allowed: "JSON (RFC 8259) with integer numbers only, no duplicate members, no U+0000")
    }

    static func decodeEvent(_ json: JSONValue, scratch: inout [UInt8]) throws(EventDecodingError) -> Event {
        var errors = [FieldError]()
        guard var reader = ObjectReader(json, at: "", errors: &errors) else { throw EventDecodingError(errors) }
        let event = readEnvelope(&reader, scratch: &scratch)
        for name in serverMembers where reader.object[name] != nil {
            _ = reader.value(name, allowed: "")
            reader.fail(name, .notAllowed, "a server field in a submitted event", allowed: "only the server adds it")
        }
        reader.finish(into: &errors, allowed: submittedMembers)
        guard let event, errors.isEmpty else { throw EventDecodingError(errors) }
        return event
    }

    static func decodeStoredEvent(_ json: JSONValue, scratch: inout [UInt8]) throws(EventDecodingError) -> StoredEvent {
        var errors = [FieldError]()
        guard var reader = ObjectReader(json, at: "", errors: &errors) else { throw EventDecodingError(errors) }
        let event = readEnvelope(&reader, scratch: &scratch)
        var position: Int64?
        if let value = reader.value("position", allowed: "an integer ≥ 1") {
            if case .integer(let integer) = value, integer >= 1 {
                position = integer
            } else if case .integer = value {
                reader.fail("position", .outOfRange, "\(value) is not a position", allowed: "an integer ≥ 1")
            } else {
                reader.wrongType("position", value, expected: "an integer", allowed: "an integer ≥ 1")
            }
        }
        let receivedAllowed = "an RFC 3339 UTC time with exactly 6 fraction digits, such as 2024-02-08T03:00:00.000000Z"
        let received = reader.parsed("received", allowed: receivedAllowed) { text -> Timestamp? in
            guard let time = Timestamp(rfc3339: text), time.rfc3339UTC == text else { return nil }
            return time
        }
        let chain = reader.digest("chain")
        reader.finish(into: &errors, allowed: storedMembers)
        guard let event, let position, let received, let chain, errors.isEmpty else {
            throw EventDecodingError(errors)
        }
        return StoredEvent(event: event, position: position, received: received, chain: chain)
    }

    static let submittedMembers =
        "only the CloudEvents members " + (hashedMembers + ["signature"]).joined(separator: ", ")
    static let storedMembers =
        "only the CloudEvents members " + (hashedMembers + ["signature"] + serverMembers).joined(separator: ", ")

    /// Reads the members every event has and its payload.
    static func readEnvelope(_ reader: inout ObjectReader, scratch: inout [UInt8]) -> Event? {
        if let version = reader.string("specversion", allowed: "\"1.0\""), version != "1.0" {
            reader.fail("specversion", .notAllowed, "\"\(version)\" is not supported", allowed: "\"1.0\"")
        }
        let id = reader.eventID("id")
        let sourceAllowed = "/devices/<20 lowercase hex digits>, or /server for the server"
        let device = reader.parsed("source", allowed: sourceAllowed) { DeviceID(source: $0) }
        let type = readType(&reader)
        let time = reader.time("time")
        let subject = reader.string("subject", allowed: "the code, id or device the event is about")
        if let contentType = reader.string("datacontenttype", allowed: "\"application/json\""),
            contentType != "application/json"
        {
            reader.fail(
                "datacontenttype", .notAllowed, "\"\(contentType)\" is not supported", allowed: "\"application/json\"")
        }
        let data = reader.value("data", allowed: "an object")
        var seq: Int64?
        if let value = reader.value("seq", allowed: "an integer ≥ 1") {
            if case .integer(let integer) = value, integer >= 1 {
                seq = integer
            } else if case .integer = value {
                reader.fail("seq", .outOfRange, "\(value) is not a sequence number", allowed: "an integer ≥ 1")
            } else {
                reader.wrongType("seq", value, expected: "an integer", allowed: "an integer ≥ 1")
            }
        }
        let prevHash = reader.digest("prevhash")
        if let seq, let prevHash, seq == 1, prevHash != .zero {
            reader.fail(
                "prevhash", .chainBroken, "the first event of a device has no previous event",
                allowed: "64 zeros when seq is 1")
        }
        let signatureAllowed = "base64url without padding of a 64-byte Ed25519 signature"
        let signature = reader.parsed("signature", allowed: signatureAllowed) { text -> [UInt8]? in
            guard let bytes = Base64URL.decode(text), bytes.count == 64 else { return nil }
            return bytes
        }

        var payload: Payload?
        if let type, let data {
            var payloadErrors = [FieldError]()
            payload = Payload.decode(type: type, data: data, at: "data", errors: &payloadErrors)
            reader.append(payloadErrors)
        }
        if let type, let device {
            if type.isReference && !device.isServer {
                reader.fail("source", .sourceMismatch, "reference data comes only from the server", allowed: "/server")
            } else if type.isObservation && device.isServer {
                reader.fail(
                    "source", .sourceMismatch, "observations come from reporters' devices",
                    allowed: "/devices/<20 lowercase hex digits>")
            }
        }
        if let type, let subject {
            checkSubject(subject, type: type, payload: payload, reader: &reader)
        }

        guard let id, let device, let type, let time, let subject, let data, let payload, let seq, let prevHash,
            let signature, reader.errors.isEmpty
        else { return nil }
        let hash = EventHash.compute(
            id: id, source: device.source, type: type, time: time.text, subject: subject, data: data, seq: seq,
            prevHash: prevHash, scratch: &scratch)
        return Event(
            id: id, device: device, seq: seq, type: type, time: time, subject: subject, data: data,
            payload: payload, prevHash: prevHash, signature: signature, hash: hash)
    }

    static let typesAllowed = EventType.allCases.map(\.rawValue).joined(separator: ", ")

    static func readType(_ reader: inout ObjectReader) -> EventType? {
        let allowed = typesAllowed
        guard let text = reader.string("type", allowed: allowed) else { return nil }
        if let type = EventType(rawValue: text) { return type }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts[3].hasPrefix("v"),
            let known = EventType.allCases.first(where: { $0.name == parts[0..<3].joined(separator: ".") })
        {
            reader.fail(
                "type", .unknownVersion, "version \(parts[3].dropFirst()) of \(known.name) is not known",
                allowed: known.rawValue)
        } else {
            reader.fail("type", .unknownType, "\"\(text)\" is not an event type of the catalogue", allowed: allowed)
        }
        return nil
    }

    static func checkSubject(_ subject: String, type: EventType, payload: Payload?, reader: inout ObjectReader) {
        if type.isObservation {
            if StationCode(subject) == nil {
                reader.fail(
                    "subject", .invalidFormat, "\"\(subject)\" is not a station code",
                    allowed: "the station's code, such as NA-248-017")
            }
        } else if let expected = payload?.referenceSubject, subject != expected {
            reader.fail(
                "subject", .subjectMismatch, "\"\(subject)\" is not what the event defines",
                allowed: "\"\(expected)\"")
        }
    }
}
