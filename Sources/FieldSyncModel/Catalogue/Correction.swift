/// `fieldsync.report.corrected.v1`: supersedes an earlier observation of the same device, with the
/// corrected observation or a retraction, and a reason. Subject: the same station as the event it
/// corrects.
public struct Correction: ReadablePayload {
    public static let eventType = EventType.reportCorrected

    /// The id of the earlier event of the same device that this one supersedes.
    public var corrects: EventID
    public var reason: String
    public var change: Change

    public init(corrects: EventID, reason: String, change: Change) {
        self.corrects = corrects
        self.reason = reason
        self.change = change
    }

    /// What becomes of the corrected event.
    public enum Change: Hashable, Sendable {
        /// The observation as it should have been: same type as the corrected event.
        indirect case replacement(Payload)
        /// The observation is withdrawn.
        case retraction
    }

    init?(reading reader: inout ObjectReader) {
        let corrects = reader.eventID("corrects")
        let reason = reader.text("reason", maxLength: TextLimit.description, multiline: true)
        let hasReplacement = reader.object["replacement"] != nil
        let hasRetracted = reader.object["retracted"] != nil
        let allowed = "either \"replacement\": {\"type\", \"data\"} or \"retracted\": true"
        var change: Change?
        switch (hasReplacement, hasRetracted) {
        case (true, false):
            change = reader.object("replacement") { nested in
                let allowedTypes = EventType.allCases.filter(\.isCorrectable).map(\.rawValue).joined(separator: ", ")
                let type = nested.parsed("type", allowed: allowedTypes) { EventType(rawValue: $0) }
                if let type, !type.isCorrectable {
                    nested.fail("type", .notCorrectable, "\(type) cannot be a replacement", allowed: allowedTypes)
                    _ = nested.value("data", allowed: "")
                    return nil
                }
                guard let data = nested.value("data", allowed: "the data of an observation of that type"),
                    let type
                else { return nil }
                var errors = [FieldError]()
                let payload = Payload.decode(type: type, data: data, at: nested.field("data"), errors: &errors)
                nested.append(errors)
                return payload.map { .replacement($0) }
            }
        case (false, true):
            if let retracted = reader.bool("retracted") {
                if retracted {
                    change = .retraction
                } else {
                    reader.fail("retracted", .notAllowed, "false: omit it and give a replacement", allowed: allowed)
                }
            }
        case (true, true):
            _ = reader.value("replacement", allowed: "")
            _ = reader.value("retracted", allowed: "")
            reader.fail("retracted", .notAllowed, "both a replacement and a retraction", allowed: allowed)
        case (false, false):
            reader.fail("replacement", .missingMember, "missing, and no \"retracted\": true", allowed: allowed)
        }
        guard let corrects, let reason, let change, reader.errors.isEmpty else { return nil }
        self.init(corrects: corrects, reason: reason, change: change)
    }

    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["corrects": .string(corrects.description), "reason": .string(reason)]
        switch change {
        case .replacement(let payload):
            object["replacement"] = ["type": .string(payload.type.rawValue), "data": payload.jsonValue]
        case .retraction:
            object["retracted"] = .bool(true)
        }
        return .object(object)
    }
}
