import FieldSyncClient
import FieldSyncModel
import FieldSyncTally

/// The replay of an export set against a server's tallies at the same cutoff: every document the server
/// serves — the overview (city, districts, constituencies), every station's summary for each of its seats (each
/// seat's answer) and document, and, live only, the official comparison — each that differs named by its first difference.
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
        var differences = TallyComparison.overview(replayed: replayed, served: served)
        comparison.documents =
            1 + (replayed["districts"]?.objectValue?.count ?? 0)
            + (replayed["constituencies"]?.objectValue?.count ?? 0)

        // Each seat's answer: its summaries of its stations (the seat's own document is in the overview).
        var seats = Set(tally.constituencyCodes)
        for key in served["constituencies"]?.objectValue?.keys.sorted() ?? [] {
            if let code = ConstituencyCode(key) { seats.insert(code) }
        }
        var stations = Set(tally.stationCodes)
        for code in seats.sorted() {
            let (answer, seatCutoff) = try await answer(
                "/v1/tallies/\(code)", cutoff: cutoff, exportHead: exportHead, server: server)
            for key in (answer?["stations"]?.objectValue ?? [:]).keys {
                if let station = StationCode(key) { stations.insert(station) }
            }
            let mine = TallyDocuments.constituency(tally, code, cutoff: seatCutoff)
            if let answer, let mine {
                differences += TallyComparison.constituency(replayed: mine, served: answer).filter {
                    !$0.document.hasPrefix("constituency ")
                }
                comparison.documents += mine["stations"]?.objectValue?.count ?? 0
            } else if mine != nil || answer != nil {
                differences.append(Self.oneSided("answer for \(code)", replayed: mine, served: answer))
            }
        }

        // Each station's own document, with its history.
        for code in stations.sorted() {
            let (answer, stationCutoff) = try await answer(
                "/v1/stations/\(code)", cutoff: cutoff, exportHead: exportHead, server: server)
            let mine = TallyDocuments.station(tally, code, cutoff: stationCutoff)
            if let answer, let mine {
                differences += TallyComparison.station(replayed: mine, served: answer)
                comparison.documents += 1
            } else if mine != nil || answer != nil {
                differences.append(Self.oneSided("station \(code)", replayed: mine, served: answer))
            }
        }

        // The official comparison: the server keeps it live only.
        if let cutoff {
            comparison.notes.append(
                "the official comparison (GET /v1/official) is served live only: not compared \(cutoff.words)")
        } else {
            let answer = try await server.json("/v1/official")
            if answer["position"]?.integerValue == exportHead {
                differences += TallyComparison.official(replayed: TallyDocuments.official(tally), served: answer)
                comparison.documents += 1
            } else {
                comparison.notes.append(
                    "the official comparison (GET /v1/official) is served live only, and the server's moved on to "
                        + "position \(answer["position"]?.integerValue ?? 0) from the export's head \(exportHead): "
                        + "not compared")
            }
        }
        comparison.differences = TallyComparison.firstPerDocument(differences)
        return comparison
    }

    /// A document that one side has and the other has not.
    private static func oneSided(_ document: String, replayed: JSONValue?, served: JSONValue?) -> TallyDifference {
        TallyDifference(
            document: document, path: "", replayed: replayed.map { _ in "a tally" },
            served: served.map { _ in "a tally" })
    }

    /// The server's answer to `path` at `cutoff`, and the cutoff it is for: live, the server's live answer
    /// when it stands at the export's head, else (the projector moved on while comparing) as of that head.
    /// Nil when the server has no such tally.
    private static func answer(
        _ path: String, cutoff: TallyCutoff?, exportHead: Int64, server: AuditServer
    ) async throws -> (JSONValue?, TallyCutoff?) {
        let answer = try await tallyAnswer(path, cutoff: cutoff, server: server)
        guard cutoff == nil, let answer, answer["position"]?.integerValue != exportHead else { return (answer, cutoff) }
        let head = TallyCutoff.position(exportHead)
        return (try await tallyAnswer(path, cutoff: head, server: server), head)
    }

    /// `GET path` at `cutoff`; nil when the server has no tally there (404).
    private static func tallyAnswer(
        _ path: String, cutoff: TallyCutoff?, server: AuditServer
    ) async throws
        -> JSONValue?
    {
        let path = path + (cutoff.map { "?" + $0.query } ?? "")
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
