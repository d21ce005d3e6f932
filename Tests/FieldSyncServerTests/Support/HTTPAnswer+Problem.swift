import FieldSyncModel
import FieldSyncTestSupport
import Testing

extension HTTPAnswer {
    /// Expects a problem+json answer (RFC 9457) of `kind` with `status`, whose `detail` names each of
    /// `mentions` (compared without case): what a client needs to see what was wrong.
    func expectProblem(
        _ status: Int, _ kind: String, mentioning mentions: [String] = [], _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(self.status == status, "\(what): \(self.status) \(text.prefix(600))", sourceLocation: sourceLocation)
        #expect(
            contentType == "application/problem+json", "\(what): \(contentType ?? "no type")",
            sourceLocation: sourceLocation)
        let problem = object
        #expect(
            problem["type"] == .string("urn:fieldsync:problem:" + kind),
            "\(what): \(problem["type"].map { "\($0)" } ?? "no type")",
            sourceLocation: sourceLocation)
        #expect(problem["status"] == .integer(Int64(self.status)), "\(what)", sourceLocation: sourceLocation)
        #expect(problem["title"]?.stringValue?.isEmpty == false, "\(what): no title", sourceLocation: sourceLocation)
        let detail = problem["detail"]?.stringValue ?? ""
        #expect(!detail.isEmpty, "\(what): no detail", sourceLocation: sourceLocation)
        for mention in mentions {
            #expect(
                detail.lowercased().contains(mention.lowercased()),
                "\(what): the detail does not name \(mention): \(detail)",
                sourceLocation: sourceLocation)
        }
    }
}

extension HTTPAnswer {
    /// The `field` of each of a problem's `errors`.
    var problemFields: [String] {
        (object["errors"]?.arrayValue ?? []).compactMap { $0["field"]?.stringValue }
    }
}
