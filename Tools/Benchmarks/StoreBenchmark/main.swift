// Store benchmark: appends events through the store API (outcome checks, global chain, COPY, one
// transaction and one NOTIFY per batch) and, in the same run, loads the same rows with raw COPY into
// an identical table. Prints both rates and their ratio; then appends the same batches through the store
// API with and without the Merkle tree (in two fresh databases, batch by batch in turn) and prints the
// ratio of their rates.
//
//     swift run -c release store-benchmark [events] [batch size]
//
// The cluster is an embedded one in a temporary folder, with PostgreSQL's default durability settings.
import BenchmarkSupport
import FieldSyncModel
import FieldSyncStore
import Foundation
import ServeSupport

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let eventCount = arguments.first ?? 200_000
let batchSize = arguments.dropFirst().first ?? 500

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-store-benchmark-\(getpid())").path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
let cluster = EmbeddedPostgres(options: .init(dataDirectory: folder))
let configuration = try await cluster.start()
defer { try? FileManager.default.removeItem(atPath: folder) }
let pool = PostgresPool(configuration: configuration, maximumConnections: 4)
try await Migrator().migrate(pool)
let store = EventStore(pool: pool)

print("making \(eventCount) events…")
var synthetic = SyntheticRecords()
let records = synthetic.next(eventCount)
let batches = stride(from: 0, to: records.count, by: batchSize).map {
    Array(records[$0..<min($0 + batchSize, records.count)])
}

_ = try await pool.withConnection { connection in
    try await connection.execute("CREATE TABLE events_raw (LIKE events INCLUDING ALL)")
    try await connection.execute("CHECKPOINT")
}

// 1. The store API.
let clock = ContinuousClock()
let apiStart = clock.now
for batch in batches {
    _ = try await store.append(batch)
}
let apiSeconds = seconds(clock.now - apiStart)

// The same rows, with the positions, received times and chain links the store gave them.
var copyBatches: [[UInt8]] = []
var position: Int64 = 0
while true {
    let page = try await store.events(after: position, limit: batchSize)
    guard let last = page.last else { break }
    var writer = PostgresCopyWriter()
    for event in page {
        let record = event.record
        writer.append(event.position)
        writer.append(record.id)
        writer.append(record.deviceID)
        writer.append(record.sequence)
        writer.append(record.type)
        writer.append(record.subject)
        writer.append(record.station)
        writer.append(record.time)
        writer.append(record.observedAt)
        writer.append(event.received)
        writer.append(record.payload)
        writer.append(record.hash)
        writer.append(record.previousHash)
        writer.append(ByteA(record.signature))
        writer.append(event.chain)
        writer.endRow()
    }
    copyBatches.append(writer.data)
    position = last.position
}
let columns =
    "position, event_id, device_id, seq, type, subject, station, observed_time, observed_at, received_at, payload, event_hash, prev_hash, signature, chain_hash"
_ = try await pool.withConnection { try await $0.execute("CHECKPOINT") }

// 2. Raw COPY, one COPY per batch of the same size (each its own transaction, as the API's batches are).
let rawStart = clock.now
_ = try await pool.withConnection { connection in
    for data in copyBatches {
        try await connection.copy(SQL(unsafeSQL: "COPY events_raw (\(columns)) FROM STDIN"), data: data)
    }
}
let rawSeconds = seconds(clock.now - rawStart)

// 3. Raw COPY of everything at once, into a fresh identical table: the floor.
_ = try await pool.withConnection { connection in
    try await connection.execute("CREATE TABLE events_raw_once (LIKE events INCLUDING ALL)")
    try await connection.execute("CHECKPOINT")
}
let allData = copyBatches.reduce(into: [UInt8]()) { $0 += $1 }
let onceStart = clock.now
_ = try await pool.withConnection { connection in
    try await connection.copy(SQL(unsafeSQL: "COPY events_raw_once (\(columns)) FROM STDIN"), data: allData)
}
let onceSeconds = seconds(clock.now - onceStart)

let apiRate = Double(eventCount) / apiSeconds
let rawRate = Double(eventCount) / rawSeconds
let onceRate = Double(eventCount) / onceSeconds
print("events: \(eventCount), batch size: \(batchSize)")
print(String(format: "store API (EventStore.append):   %8.0f events/s  (%.2f s)", apiRate, apiSeconds))
print(String(format: "raw COPY, same batches:          %8.0f events/s  (%.2f s)", rawRate, rawSeconds))
print(String(format: "raw COPY, one statement:         %8.0f events/s  (%.2f s)", onceRate, onceSeconds))
print(String(format: "ratio store API / raw COPY (same batches): %.2f", apiRate / rawRate))
print(String(format: "ratio store API / raw COPY (one statement): %.2f", apiRate / onceRate))

// 4. What the Merkle tree costs: the same batches appended through the store API with and without the tree,
// each into a fresh database of the same cluster, batch by batch in turn so that both see the same machine.
func freshStore(_ name: String, keepsTree: Bool) async throws -> (EventStore, PostgresPool) {
    _ = try await pool.withConnection { try await $0.execute("CREATE DATABASE \(identifier: name)") }
    let fresh = PostgresPool(configuration: configuration.with(database: name), maximumConnections: 2)
    try await Migrator().migrate(fresh)
    return (EventStore(pool: fresh, keepsTree: keepsTree), fresh)
}
let (withTree, withTreePool) = try await freshStore("tree_kept", keepsTree: true)
let (withoutTree, withoutTreePool) = try await freshStore("tree_not_kept", keepsTree: false)
var treeSeconds = 0.0
var noTreeSeconds = 0.0
for (index, batch) in batches.enumerated() {
    // Alternate which goes first, so that neither always follows the other's writes.
    for keeps in index % 2 == 0 ? [true, false] : [false, true] {
        let start = clock.now
        _ = try await (keeps ? withTree : withoutTree).append(batch)
        if keeps { treeSeconds += seconds(clock.now - start) } else { noTreeSeconds += seconds(clock.now - start) }
    }
}
let treeRoot = try await withTree.treeRoot(size: Int64(eventCount))
let treeRate = Double(eventCount) / treeSeconds
let noTreeRate = Double(eventCount) / noTreeSeconds
print(String(format: "store API with the Merkle tree:  %8.0f events/s  (%.2f s)", treeRate, treeSeconds))
print(String(format: "store API without the tree:      %8.0f events/s  (%.2f s)", noTreeRate, noTreeSeconds))
print(String(format: "ratio with tree / without: %.2f (goal: >= 0.95)", treeRate / noTreeRate))
print("tree root at \(eventCount): \(treeRoot)")
await withTreePool.close()
await withoutTreePool.close()

await pool.close()
await cluster.stop()
