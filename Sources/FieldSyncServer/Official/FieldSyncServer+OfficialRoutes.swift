import FieldSyncModel
import Hummingbird

extension FieldSyncServer {
    /// `POST /v1/official?form=45|47|49[&source=URL]` with the commission's CSV file as the body (`text/csv`,
    /// the layout of ``OfficialFile``) (editor) → 201 {form, fileSha256, events: [{id, position, subject,
    /// constituency}]}: one `fieldsync.official.published.v1` per station and seat (or seat), all or none.
    ///
    /// The file's hash is taken here, of the bytes received. A file with any bad row is refused with
    /// `invalid-request`, one error per problem, its field `line N` or `line N, field M`.
    func importOfficial(_ request: Request, caller: Caller) async throws -> Response {
        let query = request.uri.queryParameters
        let forms = OfficialResult.Form.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        let formText = query.get("form")
        guard let form = formText.flatMap(OfficialResult.Form.init(rawValue:)) else {
            throw Problem.invalidRequest(
                field: "form", code: formText == nil ? .missingMember : .notAllowed,
                problem: formText.map { "\"\($0)\" is not a form" } ?? "the form is missing", allowed: forms)
        }
        let source = query.get("source")
        if let source, !OfficialResult.isSourceURL(source) {
            throw Problem.invalidRequest(
                field: "source", code: .invalidFormat, problem: "\"\(source)\" is not a web address",
                allowed: OfficialResult.sourceAllowed)
        }
        try request.requireMediaType(["text/csv"])
        let body = try await request.collectBody(limit: configuration.maximumBodyBytes)
        let bytes = Array(body.readableBytesView)
        let reference = try await reference.refresh().data
        let results: [OfficialResult]
        do {
            results = try OfficialFile(form: form, reference: reference).results(
                bytes, sourceURL: source, editor: caller.device)
        } catch {
            throw Problem.invalidRequest(
                error.problems.map {
                    FieldError(field: $0.place, code: .invalidFormat, problem: $0.problem, allowed: $0.allowed)
                })
        }
        let appended = try await publishOfficial(results)
        return JSONResponse.make(
            [
                "form": .string(form.rawValue), "fileSha256": .string(SHA256Digest.hash(bytes).hex),
                "events": .array(
                    zip(results, appended).map { result, event in
                        [
                            "id": .string(event.0.description), "position": .integer(event.1),
                            "subject": .string(result.subject), "constituency": .string(result.constituency.rawValue),
                        ]
                    }),
            ], status: .created)
    }
}
