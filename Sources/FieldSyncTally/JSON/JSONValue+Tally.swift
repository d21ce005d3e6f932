import FieldSyncModel

extension JSONValue {
    /// An array of event ids, in the order given.
    static func ids(_ ids: [EventID]) -> JSONValue {
        .array(ids.map { .string($0.description) })
    }

    static func int(_ value: Int) -> JSONValue {
        .integer(Int64(value))
    }

    static func int(_ value: Int?) -> JSONValue {
        value.map { .integer(Int64($0)) } ?? .null
    }

    static func string(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    /// An object of counts keyed by candidate id.
    static func votes(_ votes: [CandidateID: Int]) -> JSONValue {
        var object = [String: JSONValue](minimumCapacity: votes.count)
        for (candidate, count) in votes { object[candidate.rawValue] = .int(count) }
        return .object(object)
    }

    /// An object of counts keyed by text (parties, flag codes).
    static func counts(_ counts: [String: Int]) -> JSONValue {
        .object(counts.mapValues { .int($0) })
    }
}
