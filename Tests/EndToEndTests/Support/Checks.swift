import FieldSyncClient
import FieldSyncModel
import Testing

/// What the server must hold after a sync: each of the device's events exactly once, in seq order,
/// identical to the local log's, and a global chain an auditor can verify end to end.
func expectServerHoldsExactlyOnce(_ laptop: ReporterLaptop, _ stored: [StoredEvent]) async throws {
    let log = try await laptop.log()
    let device = try laptop.profile.device
    let mine = stored.filter { $0.event.device == device }
    #expect(
        mine.count == log.entries.count,
        "the server holds \(mine.count) events of the device, the log \(log.entries.count)")
    #expect(mine.map(\.event.seq) == log.entries.map(\.seq))
    #expect(mine.map(\.event.hash) == log.entries.map(\.event.hash))
    #expect(Set(mine.map(\.event.id)).count == mine.count)
}

/// Every line of the export verifies: positions, global chain, signatures, device chains, rules.
func expectChainIntact(_ stored: [StoredEvent]) {
    var verifier = LogVerifier()
    var problems = [String]()
    for event in stored {
        let errors = verifier.verify(event)
        if !errors.isEmpty {
            problems.append("position \(event.position): \(errors.map(\.description).joined(separator: "; "))")
        }
    }
    #expect(problems.isEmpty, "\(problems.prefix(5))")
}
