import FieldSyncClient
import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import Testing

extension EndToEndTests {
    /// What `fieldsync init` trusts, and the token it keeps: with the real program and server.
    @Suite struct EnrollmentTrust {
        /// `admin enroll --json` of a reporter covering NA-235, with `more` arguments: the printed object.
        static func enrollment(
            on server: ServerUnderTest, name: String, _ more: [String] = []
        ) async throws
            -> JSONValue
        {
            let outcome = try await Program.run(
                [
                    "admin", "enroll", "--role", "reporter", "--name", name, "--seat", "NA-235", "--data-dir",
                    server.dataDirectory, "--database-url", server.databaseURL, "--json",
                ] + more,
                logFolder: server.folder)
            guard outcome.status == 0 else { throw E2EError("admin enroll failed: \(outcome)") }
            return try JSONParser.parse(Array(outcome.output.utf8))
        }

        /// The server's public key, as its enrollment answer gives it.
        static func serverKey(of server: ServerUnderTest) async throws -> PublicKey {
            let code = try await server.code(role: "auditor", name: "Key Reader")
            let answer = try await HTTP.post(server.url + "/v1/enroll", json: ["code": .string(code)])
            return try require(
                try answer.json()["server"]?["publicKey"]?.stringValue.flatMap { PublicKey(base64URL: $0) },
                "no server key in \(answer.text)")
        }

        /// A man in the middle who answers with his own server key: `init` stops with one line and exit 7,
        /// and nothing is left in the home; the same code's twin through the real address works, and
        /// `admin enroll` printed the fingerprint `init` pinned.
        @Test func initRefusesASubstitutedServerKey() async throws {
            let server = try await ServerUnderTest.start()
            let genuine = try await Self.serverKey(of: server)
            let intruder = SigningKey.generate().publicKey
            let proxy = try FaultProxy(
                upstreamPort: server.port,
                faults: [.substituteDownstream(from: Array(genuine.base64URL.utf8), to: Array(intruder.base64URL.utf8))]
            )
            defer { proxy.stop() }
            let code = try await server.code(name: "Amina Shah")
            let laptop = ReporterLaptop(home: ClientHome(path: server.folder + "/home-mitm"), server: server)
            let refused = try await laptop.run(["init", "--server", proxy.url, "--code", code])
            #expect(refused.status == ExitStatus.untrustedServer.rawValue, "\(refused)")
            #expect(proxy.injected >= 1)
            let lines = refused.errors.split(separator: "\n")
            #expect(lines.count == 1, "\(refused.errors)")
            #expect(refused.errors.contains("not the key this enrollment code was made for"), "\(refused.errors)")
            #expect(refused.errors.contains(intruder.fingerprintText))
            for file in [laptop.home.profile, laptop.home.deviceKey, laptop.home.deviceKey + ".pending"] {
                #expect(!DurableFile.exists(file), "\(file) was left")
            }

            // Through the real address, a new code enrolls and the fingerprint is the one admin enroll printed.
            let printed = try await Program.run(
                [
                    "admin", "enroll", "--role", "reporter", "--name", "Amina Shah", "--seat", "NA-235", "--data-dir",
                    server.dataDirectory, "--database-url", server.databaseURL,
                ],
                logFolder: server.folder)
            #expect(printed.status == 0, "\(printed)")
            #expect(printed.output.contains("Server key fingerprint: \(genuine.fingerprintText)"), "\(printed.output)")
            let newCode = try require(
                printed.output.firstMatch(of: /--code ([0-9A-Z-]{19})/).map { String($0.output.1) }, "no code printed")
            let enrolled = try await laptop.run(["init", "--server", server.url, "--code", newCode])
            #expect(enrolled.status == 0, "\(enrolled)")
            #expect(enrolled.output.contains(genuine.fingerprintText), "\(enrolled.output)")
            #expect(try laptop.profile.serverKey == genuine)
            try await server.stop()
        }

        /// Plain http:// to another machine is refused before anything is sent or stored, with one line
        /// saying why and how; --insecure-http lifts the refusal.
        @Test func initRefusesPlainHTTPToAnotherMachine() async throws {
            let server = try await ServerUnderTest.start()
            let code = try await server.code(name: "Remote Reporter")
            let laptop = ReporterLaptop(home: ClientHome(path: server.folder + "/home-http"), server: server)
            let refused = try await laptop.run(["init", "--server", "http://192.0.2.10:8080", "--code", code])
            #expect(refused.status == ExitStatus.usage.rawValue, "\(refused)")
            #expect(refused.errors.split(separator: "\n").count == 1, "\(refused.errors)")
            for words in ["plain HTTP", "https://", "--insecure-http"] {
                #expect(refused.errors.contains(words), "\(refused.errors)")
            }
            #expect(!DurableFile.exists(laptop.home.path))

            // With --insecure-http it goes on to the network (where nothing answers at that address).
            let lifted = try await laptop.run(
                ["init", "--server", "http://192.0.2.10:8080", "--code", code, "--insecure-http"])
            #expect(lifted.status == ExitStatus.unreachable.rawValue, "\(lifted)")
            #expect(!lifted.errors.contains("--insecure-http"))
            #expect(!DurableFile.exists(laptop.home.profile))
            // The code was not spent: it still enrolls over loopback.
            #expect(try await laptop.run(["init", "--server", server.url, "--code", code]).status == 0)
            try await server.stop()
        }

        /// `--expires` on the code sets the token's lifetime; `token rotate` replaces the token on the server
        /// and in the profile at once, and sync goes on with the new one.
        @Test func aTokenExpiresAndRotates() async throws {
            let server = try await ServerUnderTest.start()
            let enrollment = try await Self.enrollment(on: server, name: "Rotating Reporter", ["--expires", "3d"])
            #expect(enrollment["tokenExpiresInSeconds"] == .integer(259_200))
            let code = try require(enrollment["code"]?.stringValue, "no code")
            let laptop = ReporterLaptop(home: ClientHome(path: server.folder + "/home-rotate"), server: server)
            let initialized = try await laptop.run(["init", "--server", server.url, "--code", code])
            #expect(initialized.status == 0, "\(initialized)")
            #expect(initialized.output.contains("The device's token expires at"), "\(initialized.output)")
            let before = try laptop.profile
            let expires = try require(before.tokenExpires, "no expiry in the profile")
            let days = Double(expires.microseconds - Timestamp.now().microseconds) / 86_400_000_000
            #expect(days > 2.99 && days <= 3)

            let rotated = try await laptop.run(["token", "rotate"])
            #expect(rotated.status == 0, "\(rotated)")
            #expect(rotated.output.contains("the old one no longer works"), "\(rotated.output)")
            let after = try laptop.profile
            #expect(after.token != before.token)
            #expect(after.device == before.device && after.serverKey == before.serverKey)
            #expect(try require(after.tokenExpires, "no expiry") >= expires)
            #expect(DurableFile.mode(laptop.home.profile) == 0o600)
            let head = server.url + "/v1/devices/\(after.device)/head"
            #expect(try await HTTP.get(head, token: before.token).status == 401)
            #expect(try await HTTP.get(head, token: after.token).status == 200)
            try await laptop.recordBacklog(3)
            let synced = try await laptop.run(["sync"])
            #expect(synced.status == 0, "\(synced)")

            // The old token cannot rotate again: the profile is what counts.
            var stale = after
            stale.token = before.token
            try ProfileStore(home: laptop.home).save(stale)
            let refused = try await laptop.run(["token", "rotate"])
            #expect(refused.status == ExitStatus.refused.rawValue, "\(refused)")
            #expect(refused.errors.contains("not known"), "\(refused.errors)")
            try await server.stop()
        }
    }
}
