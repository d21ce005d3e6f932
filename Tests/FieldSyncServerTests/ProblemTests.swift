import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import HTTPTypes
import NIOHTTP1
import Testing

@Suite struct ProblemTests {
    /// Every failure is problem+json with a stable type, the HTTP status, a title and a detail.
    @Test func problemsHaveOneShape() async throws {
        try await TestServer.with { server in
            let answers = [
                try await HTTP.get(server.url + "/v1/nowhere"),
                try await HTTP.send(.DELETE, server.url + "/v1/events"),
                try await HTTP.get(server.url + "/v1/events"),
                try await HTTP.send(.POST, server.url + "/v1/enroll", body: Array("[".utf8)),
                try await HTTP.post(
                    server.url + "/v1/enroll",
                    json: ["code": .string(EnrollmentCode.make(boundTo: server.server.publicKey).description)]),
            ]
            let kinds = ["not-found", "method-not-allowed", "unauthorized", "invalid-json", "enrollment-code-unknown"]
            for (answer, kind) in zip(answers, kinds) {
                #expect(answer.contentType == "application/problem+json", "\(kind)")
                let object = answer.object
                #expect(object["type"] == .string("urn:fieldsync:problem:" + kind))
                #expect(object["status"] == .integer(Int64(answer.status)))
                #expect(object["title"]?.stringValue?.isEmpty == false)
                #expect(object["detail"]?.stringValue?.isEmpty == false)
                #expect(Set(object.keys).isSubset(of: ["type", "title", "status", "detail", "errors"]))
            }
            #expect(answers[0].status == 404)
            #expect(answers[1].status == 405)
            #expect(answers[1].headers.first(name: "allow") == "POST, GET")
        }
    }

    @Test func everyKindHasItsOwnTypeAndAnErrorStatus() {
        let names = Problem.Kind.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Problem.Kind.all.allSatisfy { $0.status.code >= 400 })
        let problem = Problem(
            .invalidRequest, "x: wrong",
            errors: [FieldError(field: "x", code: .wrongType, problem: "wrong", allowed: "right")])
        #expect(problem.jsonValue["errors"]?[0]?["allowed"] == "right")
    }
}
