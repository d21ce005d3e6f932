import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Foundation
import Testing

/// `/metrics` is for operators: on the API it needs an admin's token; `serve --metrics-address` also
/// serves it, and nothing else, without credentials on an address of its own.
@Suite struct MetricsAccessTests {
    @Test func theAPIsMetricsNeedAnAdminsToken() async throws {
        try await TestServer.with { server in
            let anonymous = try await HTTP.get(server.url + "/metrics")
            anonymous.expectProblem(401, "unauthorized", mentioning: ["/metrics", "Bearer"], "no token")
            #expect(!anonymous.text.contains("fieldsync_events_appended_total"))
            for role in [DeviceRole.reporter, .editor, .auditor] {
                let device = try await server.enroll(role, sendKey: role == .reporter)
                let answer = try await HTTP.get(server.url + "/metrics", token: device.token)
                answer.expectProblem(403, "forbidden", mentioning: ["\(device.device)", "admin"], "\(role)")
            }
            let admin = try await server.enroll(.admin, sendKey: false)
            let metrics = try await HTTP.get(server.url + "/metrics", token: admin.token)
            #expect(metrics.status == 200)
            #expect(metrics.contentType?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("fieldsync_events_appended_total 0"))
            // The refusals above were counted.
            #expect(metrics.text.contains(#"fieldsync_authentication_failures_total{problem="forbidden"} 3"#))
            #expect(metrics.text.contains(#"fieldsync_authentication_failures_total{problem="unauthorized"} 1"#))
        }
    }

    /// The real program with `--metrics-address`: metrics there without a token, nothing else there;
    /// the API's `/metrics` still asks for one.
    @Test(.timeLimit(.minutes(10))) func aMetricsAddressServesMetricsWithoutCredentials() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-metrics")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let serve = try ServeProcess.start(
            dataDirectory: folder + "/data", arguments: ["--metrics-address", "127.0.0.1:0"])
        let api = try await serve.waitForAPI()
        var metricsURL: String?
        try? await waitUntil("the metrics address in the log") {
            metricsURL = serve.log.firstMatch(of: /FieldSync metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/)
                .map { String($0.output.1) }
            return metricsURL != nil
        }
        let base = try #require(metricsURL, "no metrics address in the log: \(serve.log)")
        let metrics = try await HTTP.get(base + "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("fieldsync_events_appended_total"))
        let elsewhere = try await HTTP.get(base + "/v1/tallies")
        elsewhere.expectProblem(404, "not-found", mentioning: ["/v1/tallies"], "the API on the metrics address")
        (try await HTTP.get(api + "/metrics")).expectProblem(401, "unauthorized", "the API's metrics")
        #expect(try await serve.stop() == 0)
    }
}
