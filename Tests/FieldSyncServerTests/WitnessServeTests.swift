import FieldSyncModel
import FieldSyncServer
import FieldSyncTestSupport
import Foundation
import Testing

/// Witnesses with the real program end to end: `fieldsync serve` on its embedded cluster, `admin witness
/// add` and `list` on its data folder, `audit witness` cosigning over HTTP; the head and its cosignature are
/// still served after the server is stopped and started again.
@Suite struct WitnessServeTests {
    @Test(.timeLimit(.minutes(10))) func aRegisteredWitnessCosignsAndItsCosignatureSurvivesARestart() async throws {
        let folder = try makeTemporaryDirectory("fieldsync-witness-serve")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data"
        var serve = try ServeProcess.start(dataDirectory: data)
        var api = try await serve.waitForAPI()
        do {
            let enrollment = try await ServeProcess.run([
                "admin", "enroll", "--role", "auditor", "--name", "Witness desk", "--data-dir", data, "--json",
            ])
            let code = try #require(try JSONParser.parse(enrollment)["code"]?.stringValue)
            let enrolled = try await HTTP.post(api + "/v1/enroll", json: ["code": .string(code)])
            let token = try #require(enrolled.object["token"]?.stringValue, "\(enrolled.text)")
            let key = folder + "/witness.pem"
            _ = try await ServeProcess.run(["audit", "witness", "keygen", "--key", key])
            let added = try await ServeProcess.run([
                "admin", "witness", "add", "--name", "Observer group", "--key", key + ".pub", "--data-dir", data,
            ])
            #expect(added.contains("Witness \"Observer group\" registered"))
            let listed = try await ServeProcess.run(["admin", "witness", "list", "--data-dir", data])
            #expect(listed.hasPrefix("Observer group\t"))

            let serverKey = try ServerKeyFile.load(at: ServerKeyFile.path(in: data)).publicKey
            func witness(_ api: String) -> [String] {
                [
                    "audit", "witness", "--server", api, "--token", token, "--key", key, "--state", folder + "/state",
                    "--server-key", serverKey.base64URL,
                ]
            }
            let cosigned = try await ServeProcess.run(witness(api))
            #expect(cosigned.contains("Cosigned the tree head of"))
            let head = try await HTTP.get(api + "/v1/tree/head", token: token)
            let served = head.object
            #expect(TreeHead(signed: served, by: serverKey) != nil)
            #expect(served["cosignatures"]?.arrayValue?.count == 1)

            #expect(try await serve.stop() == 0)
            serve = try ServeProcess.start(dataDirectory: data)
            api = try await serve.waitForAPI()
            let again = try await HTTP.get(api + "/v1/tree/heads", token: token)
            let kept = try again.lines.map { try JSONParser.parse($0).objectValue ?? [:] }
            #expect(kept.contains(served), "\(again.text)")
            let policy = WitnessPolicy(
                trusted: [try PublicKey(pemRepresentation: String(contentsOfFile: key + ".pub", encoding: .utf8))],
                required: 1)
            #expect(policy.problem(with: served, serverKey: serverKey) == nil)
            // The witness goes on after the restart: the log only grew.
            _ = try await ServeProcess.run(witness(api) + ["--once"])
        } catch {
            _ = try? await serve.stop()
            throw error
        }
        #expect(try await serve.stop() == 0)
    }
}
