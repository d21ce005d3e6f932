import FieldSyncModel
import FieldSyncStore
import Foundation

/// Builds chained event records for store tests. The store does not check signatures, so the
/// "signature" here is any 64 bytes; the hash is a real SHA-256 of the record's content.
struct RecordFactory {
    let deviceID: String
    private(set) var sequence: Int64 = 0
    private(set) var lastHash = GlobalChain.genesis

    init(deviceID: String = "d-" + UUID().uuidString.prefix(8).lowercased()) {
        self.deviceID = deviceID
    }

    /// The device's next event, chained to the previous one.
    mutating func next(station: String? = "NA-248-001", payload: String = #"{"votesCast": 10}"#) -> EventRecord {
        sequence += 1
        let record = Self.make(
            deviceID: deviceID, sequence: sequence, previousHash: lastHash, station: station, payload: payload)
        lastHash = record.hash
        return record
    }

    static func make(
        id: String = UUID().uuidString.lowercased(), deviceID: String, sequence: Int64, previousHash: SHA256Digest,
        station: String? = "NA-248-001", payload: String = #"{"votesCast": 10}"#
    ) -> EventRecord {
        let time = "2024-02-08T10:00:00+05:00"
        let hash = SHA256Digest.hash("\(id)|\(deviceID)|\(sequence)|\(previousHash.hex)|\(payload)")
        return EventRecord(
            id: id, deviceID: deviceID, sequence: sequence, type: "fieldsync.turnout.counted.v1",
            subject: station ?? "server", station: station, time: time, observedAt: Timestamp(rfc3339: time)!,
            payload: payload, hash: hash, previousHash: previousHash,
            signature: Array(SHA256Digest.hash(hash.bytes).bytes + hash.bytes))
    }
}
