import FieldSyncModel

extension Problem {
    /// 422 `batch-invalid` for a batch none of whose events can be stored: `detail` says how many events
    /// there were and the first one's first error; the extension member `results` holds each event's
    /// result as a 200 answer would (`index`, `id` and `seq` when they could be read, `outcome: invalid`
    /// and the `errors`). Nothing of such a batch is stored, so the server signs no receipt for it.
    static func batchInvalid(_ results: [PushResult]) -> Problem {
        var detail =
            results.count == 1
            ? "the batch's only event cannot be stored, so nothing was"
            : "none of the batch's \(results.count) events can be stored, so nothing was"
        if let first = results.first, case .invalid(let errors) = first.outcome, let error = errors.first {
            let which = "event \(first.index)" + (first.seq.map { " (seq \($0))" } ?? "")
            let more = errors.count > 1 ? " (and \(errors.count - 1) more problem\(errors.count == 2 ? "" : "s"))" : ""
            detail += (results.count == 1 ? ". " : ". The first, ") + "\(which): \(error)\(more)"
        }
        var problem = Problem(.batchInvalid, detail)
        problem.results = results
        return problem
    }
}
