import FieldSyncModel
import FieldSyncStore
import Logging

extension FieldSyncServer {
    /// Records an editor's import of the commission's figures: appends one server-signed
    /// `fieldsync.official.published.v1` per result, all in one transaction, naming the editor. Returns the
    /// events' ids and positions, in the order given.
    ///
    /// Throws a ``Problem`` (`invalid-request`) naming every field that is wrong, at `results[i].<member>`;
    /// then nothing is appended.
    public func publishOfficial(_ results: [OfficialResult]) async throws -> [(EventID, Int64)] {
        let snapshot = try await reference.refresh()
        let validator = EventValidator(reference: snapshot.data)
        var errors = [FieldError]()
        for (index, result) in results.enumerated() {
            errors += validator.validate(reference: .officialPublished(result)).map { error in
                var error = error
                error.field = "results[\(index)]" + error.field.dropFirst("data".count)
                return error
            }
        }
        if !errors.isEmpty { throw Problem.invalidRequest(errors) }
        let time = await now()
        let appended = try await author.append(
            results.map { EventDraft(payload: .officialPublished($0), time: time) })
        logger.notice(
            "official figures imported",
            metadata: [
                "form": "\(results.first?.form.rawValue ?? "-")", "results": "\(results.count)",
                "file": "\(results.first?.fileSha256.hex ?? "-")", "editor": "\(results.first?.editor.rawValue ?? "-")",
                "positions": "\(appended.positions.first ?? 0)–\(appended.positions.last ?? 0)",
            ])
        return zip(appended.events.map(\.id), appended.positions).map { ($0, $1) }
    }
}
