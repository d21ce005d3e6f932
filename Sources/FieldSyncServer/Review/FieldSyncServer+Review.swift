import FieldSyncModel
import FieldSyncStore
import Logging

extension FieldSyncServer {
    /// Records an editor's review of reports at a station: appends a server-signed
    /// `fieldsync.report.reviewed.v1` naming the editor. Returns the event's id and position.
    ///
    /// A verification names the events behind the counted reports as the editor saw them; they must be
    /// reports (or corrections of reports) stored at the station. Whether it stands is the fold's to say
    /// (PROTOCOL.md §13): a verification of reports that no longer count is kept, and flagged.
    ///
    /// Throws a ``Problem`` (`invalid-request`) naming every field that is wrong.
    public func review(_ review: ReportReview) async throws -> (EventID, Int64) {
        let snapshot = try await reference.refresh()
        var errors = EventValidator(reference: snapshot.data)
            .validate(reference: .reportReviewed(review))
        if review.decision == .verified { errors += try await unknownReports(review.events, at: review.station) }
        if !errors.isEmpty { throw Problem.invalidRequest(errors) }
        let appended = try await author.append([EventDraft(payload: .reportReviewed(review), time: await now())])
        let event = appended.events[0]
        logger.notice(
            "reports reviewed",
            metadata: [
                "station": "\(review.station)", "decision": "\(review.decision.rawValue)",
                "device": "\(review.device?.rawValue ?? "-")", "editor": "\(review.editor)",
                "position": "\(appended.positions[0])",
            ])
        return (event.id, appended.positions[0])
    }

    /// A problem for each of `events` that is not a stored Form-45 (or a correction) at `station`.
    private func unknownReports(_ events: [EventID], at station: StationCode) async throws -> [FieldError] {
        let found = try await self.events.events(ids: events.map(\.description)).compactMap { record in
            let stored = try record.storedEvent().event
            return stored.station == station && (stored.type == .resultReported || stored.type == .reportCorrected)
                ? stored.id : nil
        }
        return events.enumerated().compactMap { index, id in
            found.contains(id)
                ? nil
                : FieldError(
                    field: "events[\(index)]", code: .unknownEvent,
                    problem: "\(id) is not a Form-45 or a correction stored at \(station)",
                    allowed: "the events of the reports being verified, as the station's result lists them")
        }
    }
}
