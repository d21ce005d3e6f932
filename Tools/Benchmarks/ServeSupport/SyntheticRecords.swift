import FieldSyncModel
import FieldSyncStore
import Foundation

/// Realistic rows for filling an event store fast, made as the next batch is needed: 2,000 reporters,
/// each recording turnout counts and Form-45 results in turn, each device's events chained by hash. They
/// carry no real signatures (the hash twice in its place): the store keeps what it is given, and a
/// server reads nothing of observations but the rows it is asked for, so they serve to fill a log fast
/// through the store API (its outcome checks, global chain, Merkle tree and COPY).
public struct SyntheticRecords: Sendable {
    public static let devices = 2_000
    private var heads = [SHA256Digest](repeating: GlobalChain.genesis, count: devices)
    private var sequences = [Int64](repeating: 0, count: devices)
    /// How many rows were made so far.
    public private(set) var made = 0

    public init() {}

    /// The next `count` rows.
    public mutating func next(_ count: Int) -> [EventRecord] {
        var records: [EventRecord] = []
        records.reserveCapacity(count)
        for index in made..<(made + count) {
            let device = index % Self.devices
            sequences[device] += 1
            let station = "NA-\(229 + device % 22)-\(String(format: "%03d", device % 240 + 1))"
            let payload: String
            let type: String
            if sequences[device] % 5 == 0 {
                type = "fieldsync.result.reported.v1"
                let votes = (1...12).map {
                    "\"NA-\(229 + device % 22)-C\(String(format: "%02d", $0))\":\((index * $0) % 300)"
                }
                payload =
                    "{\"constituency\":\"NA-\(229 + device % 22)\",\"registeredVoters\":1200,\"votes\":{\(votes.joined(separator: ","))},\"rejected\":12,\"totalCast\":900}"
            } else {
                type = "fieldsync.turnout.counted.v1"
                payload =
                    "{\"asOf\":\"2024-02-08T11:00:00+05:00\",\"votesCast\":\(index % 1000),\"male\":\(index % 500),\"female\":\(index % 400)}"
            }
            let id = UUID().uuidString.lowercased()
            let hash = SHA256Digest.hash("\(id)\(payload)")
            records.append(
                EventRecord(
                    id: id, deviceID: String(format: "%020x", device), sequence: sequences[device], type: type,
                    subject: station, station: station, time: "2024-02-08T11:00:00+05:00",
                    observedAt: Timestamp(rfc3339: "2024-02-08T11:00:00+05:00")!, payload: payload, hash: hash,
                    previousHash: heads[device], signature: hash.bytes + hash.bytes))
            heads[device] = hash
        }
        made += count
        return records
    }
}
