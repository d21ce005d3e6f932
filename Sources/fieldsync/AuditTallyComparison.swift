import FieldSyncClient
import FieldSyncModel
import FieldSyncTally

/// The replay of an export set against a server's tallies at the same cutoff: the overview (city, districts,
/// constituencies) and every National Assembly seat with its stations.
struct AuditTallyComparison {
    /// The cutoff both sides were computed for; nil for the server's live tallies.
    var cutoff: TallyCutoff?
    /// The position both sides stand at.
    var position: Int64
    var differences: [TallyDifference] = []
    /// How many documents were compared.
    var documents = 0
    /// Things the auditor should know about what was compared.
    var notes: [String] = []

    static func run(
        replay: ExportReplay, cutoff requested: TallyCutoff?, server: AuditServer
    ) async throws
        -> AuditTallyComparison
    {
        let tally = replay.tally
        let exportHead = replay.head?.position ?? tally.lastPosition
        var cutoff = requested
        var served: JSONValue
        var notes = [String]()
        if let requested {
            served = try await server.json("/v1/tallies?" + requested.query)
            if case .observedAtOrBefore = requested, let live = try? await server.json("/v1/tallies"),
                let position = live["position"]?.integerValue, position > exportHead
            {
                notes.append(
                    "the server's log goes on to position \(position), beyond the export's head at \(exportHead): "
                        + "events it received since and observed by then count on its side only")
            }
        } else {
            served = try await server.json("/v1/tallies")
            if served["position"]?.integerValue != exportHead {
                notes.append(
                    "the server's live tallies stand at position \(served["position"]?.integerValue ?? 0), not at the "
                        + "export's head \(exportHead): comparing with its tallies as of position \(exportHead)")
                cutoff = .position(exportHead)
                served = try await server.json("/v1/tallies?" + TallyCutoff.position(exportHead).query)
            }
        }
        let replayed = TallyDocuments.overview(tally, cutoff: cutoff)
        var comparison = AuditTallyComparison(
            cutoff: cutoff, position: replayed["position"]?.integerValue ?? 0, notes: notes)
        comparison.differences = TallyComparison.overview(replayed: replayed, served: served)
        comparison.documents =
            1 + (replayed["districts"]?.objectValue?.count ?? 0)
            + (replayed["constituencies"]?.objectValue?.count ?? 0)

        var seats = Set(tally.constituencyCodes.filter { $0.assembly == .national })
        for key in served["constituencies"]?.objectValue?.keys.sorted() ?? [] {
            if let code = ConstituencyCode(key), code.assembly == .national { seats.insert(code) }
        }
        for code in seats.sorted() {
            var seatCutoff = cutoff
            var answer = try await seatAnswer(code, cutoff: seatCutoff, server: server)
            if cutoff == nil, answer?["position"]?.integerValue != exportHead {
                // The projector moved on while comparing: this seat as of the export's head instead.
                seatCutoff = .position(exportHead)
                answer = try await seatAnswer(code, cutoff: seatCutoff, server: server)
            }
            let mine = TallyDocuments.constituency(tally, code, cutoff: seatCutoff)
            if let answer, let mine {
                comparison.differences += TallyComparison.constituency(replayed: mine, served: answer).filter {
                    // The seat's own document is compared in the overview already.
                    !$0.document.hasPrefix("constituency ")
                }
                comparison.documents += mine["stations"]?.objectValue?.count ?? 0
            } else if mine != nil || answer != nil {
                comparison.differences.append(
                    TallyDifference(
                        document: "answer for \(code)", path: "", replayed: mine.map { _ in "a tally" },
                        served: answer.map { _ in "a tally" }))
            }
        }
        return comparison
    }

    /// `GET /v1/tallies/{code}`; nil when the server has no tally for the seat (404).
    private static func seatAnswer(
        _ code: ConstituencyCode, cutoff: TallyCutoff?, server: AuditServer
    ) async throws
        -> JSONValue?
    {
        let path = "/v1/tallies/\(code)" + (cutoff.map { "?" + $0.query } ?? "")
        let answer: Result<JSONValue, AuditServerError>
        do {
            answer = .success(try await server.json(path))
        } catch {
            answer = .failure(error)
        }
        switch answer {
        case .success(let document): return document
        case .failure(let error) where error.kind == .refused(status: 404): return nil
        case .failure(let error): throw error
        }
    }
}
