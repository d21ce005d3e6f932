import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import NIOHTTP1
import Testing

@Suite struct EnrollmentTests {
    @Test func aCodeEnrollsAReporterWithAServerSignedEvent() async throws {
        try await TestServer.with { server in
            let key = SigningKey.generate()
            let code = try await server.code(.reporter, name: "Amina Shah")
            let answer = try await HTTP.post(
                server.url + "/v1/enroll",
                json: ["code": .string(code.description.lowercased()), "publicKey": .string(key.publicKey.base64URL)])
            #expect(answer.status == 201)
            let body = answer.object
            #expect(body["device"] == .string(key.publicKey.deviceID.rawValue))
            #expect(body["role"] == "reporter")
            #expect(body["name"] == "Amina Shah")
            #expect(body["server"]?["publicKey"] == .string(server.server.publicKey.base64URL))
            #expect(body["server"]?["identityPosition"] == .integer(1))
            let token = try #require(body["token"]?.stringValue)
            #expect(Base64URL.decode(token)?.count == 32)

            // The enrollment is in the log, signed by the server on its own chain.
            let position = try #require(body["position"]?.integerValue)
            let record = try #require(try await server.server.events.events(after: position - 1, limit: 1).first)
            let event = try record.storedEvent().event
            #expect(event.device == .server)
            #expect(event.isSignatureValid(by: server.server.publicKey))
            guard case .deviceEnrolled(let enrollment) = event.payload else {
                Issue.record("not an enrollment: \(event.type)")
                return
            }
            #expect(enrollment.publicKey == key.publicKey)
            #expect(enrollment.role == .reporter)
            #expect(enrollment.reporter == "Amina Shah")

            // The token works; only its hash is stored.
            let head = try await HTTP.get(server.url + "/v1/devices/\(key.publicKey.deviceID)/head", token: token)
            #expect(head.status == 200)
            let stored = try await server.server.pool.withConnection { connection in
                try await connection.query(
                    "SELECT token_hash FROM device_credentials WHERE device_id = \(key.publicKey.deviceID.rawValue)"
                ).first!.decode(ByteA.self, column: 0).bytes
            }
            #expect(stored == SHA256Digest.hash(token).bytes)
        }
    }

    @Test func aCodeWorksOnce() async throws {
        try await TestServer.with { server in
            let code = try await server.code(.reporter)
            let first = try await HTTP.post(
                server.url + "/v1/enroll",
                json: [
                    "code": .string(code.description), "publicKey": .string(SigningKey.generate().publicKey.base64URL),
                ])
            #expect(first.status == 201)
            let second = try await HTTP.post(
                server.url + "/v1/enroll",
                json: [
                    "code": .string(code.description), "publicKey": .string(SigningKey.generate().publicKey.base64URL),
                ])
            #expect(second.status == 409)
            #expect(second.object["type"] == "urn:fieldsync:problem:enrollment-code-used")
        }
    }

    @Test func anExpiredCodeIsGone() async throws {
        try await TestServer.with { server in
            let code = try await server.code(.reporter)
            _ = try await TestCluster.shared.withConnection(as: .owner, on: server.server.pool) { connection in
                try await connection.execute("UPDATE enrollment_codes SET expires_at = now() - interval '1 second'")
            }
            let answer = try await HTTP.post(
                server.url + "/v1/enroll",
                json: [
                    "code": .string(code.description), "publicKey": .string(SigningKey.generate().publicKey.base64URL),
                ])
            #expect(answer.status == 410)
            #expect(answer.object["type"] == "urn:fieldsync:problem:enrollment-code-expired")
            // Nothing was enrolled.
            #expect(await server.server.reference.snapshot.data.devices.isEmpty)
        }
    }

    @Test func anUnknownCodeIsForbidden() async throws {
        try await TestServer.with { server in
            let answer = try await HTTP.post(
                server.url + "/v1/enroll",
                json: [
                    "code": .string(EnrollmentCode.make(boundTo: server.server.publicKey).description),
                    "publicKey": .string(SigningKey.generate().publicKey.base64URL),
                ])
            #expect(answer.status == 403)
            #expect(answer.object["type"] == "urn:fieldsync:problem:enrollment-code-unknown")
            let malformed = try await HTTP.post(server.url + "/v1/enroll", json: ["code": "not a code"])
            #expect(malformed.status == 400)
            #expect(malformed.object["errors"]?.arrayValue?.first?["field"] == "code")
        }
    }

    @Test func aReporterMustSendItsKeyAndAKeyEnrollsOnce() async throws {
        try await TestServer.with { server in
            let code = try await server.code(.reporter)
            let keyless = try await HTTP.post(server.url + "/v1/enroll", json: ["code": .string(code.description)])
            #expect(keyless.status == 400)
            #expect(keyless.object["errors"]?.arrayValue?.first?["field"] == "publicKey")
            #expect(keyless.object["errors"]?.arrayValue?.first?["code"] == "missing-member")

            let key = SigningKey.generate()
            let first = try await HTTP.post(
                server.url + "/v1/enroll",
                json: ["code": .string(code.description), "publicKey": .string(key.publicKey.base64URL)])
            #expect(first.status == 201)
            let again = try await HTTP.post(
                server.url + "/v1/enroll",
                json: [
                    "code": .string(try await server.code(.reporter).description),
                    "publicKey": .string(key.publicKey.base64URL),
                ])
            #expect(again.status == 409)
            #expect(again.object["type"] == "urn:fieldsync:problem:key-already-enrolled")
        }
    }

    @Test func readOnlyDevicesMayComeWithoutAKey() async throws {
        try await TestServer.with { server in
            let editor = try await server.enroll(.editor, name: "Desk Editor", sendKey: false)
            let enrolled = try #require(await server.server.reference.snapshot.data.devices[editor.device])
            #expect(enrolled.role == .editor)
            #expect(enrolled.publicKey.deviceID == editor.device)
            let export = try await HTTP.get(server.url + "/v1/events", token: editor.token)
            #expect(export.status == 200)
        }
    }

    @Test func badRequestsAreRefusedWithTheirFields() async throws {
        try await TestServer.with { server in
            let notJSON = try await HTTP.send(.POST, server.url + "/v1/enroll", body: Array("{code".utf8))
            #expect(notJSON.status == 400)
            #expect(notJSON.object["type"] == "urn:fieldsync:problem:invalid-json")
            let wrongType = try await HTTP.send(
                .POST, server.url + "/v1/enroll", body: Array("code=1".utf8),
                contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == 415)
            #expect(wrongType.object["type"] == "urn:fieldsync:problem:unsupported-media-type")
            let extra = try await HTTP.post(
                server.url + "/v1/enroll",
                json: [
                    "code": .string(EnrollmentCode.make(boundTo: server.server.publicKey).description),
                    "colour": "blue",
                ])
            #expect(extra.status == 400)
            #expect(extra.object["errors"]?.arrayValue?.map { $0["field"] } == ["colour"])
        }
    }

    @Test func codesAreHumanTypableAndBoundToTheServerKey() {
        let serverKey = SigningKey.generate().publicKey
        let code = EnrollmentCode.make(boundTo: serverKey)
        let text = code.description
        #expect(text.count == 19)
        #expect(text.split(separator: "-").count == 4)
        #expect(EnrollmentCode(typed: text.lowercased().replacing("-", with: " ")) == code)
        #expect(EnrollmentCode(typed: "K7QF-2M9X-4RTA-8HCU") == nil)
        #expect(EnrollmentCode(typed: "O0IL-0000-0000-0000") == EnrollmentCode(typed: "0011-0000-0000-0000"))
        #expect(EnrollmentCode.make(boundTo: serverKey) != code)
        #expect(code.isBound(to: serverKey))
        #expect(!code.isBound(to: SigningKey.generate().publicKey))
        // A mistake in the check groups is caught; one in the random groups makes another code altogether.
        var typo = Array(code.normalized)
        typo[12] = typo[12] == "Z" ? "Y" : "Z"
        #expect(EnrollmentCode(typed: String(typo))?.isBound(to: serverKey) == false)
    }

    /// The codes a server makes are bound to its own key, and the admin's answer says its fingerprint.
    @Test func theServerMakesCodesBoundToItsKey() async throws {
        try await TestServer.with { server in
            let admin = try await server.enroll(.admin, sendKey: false)
            let answer = try await HTTP.post(
                server.url + "/v1/enrollment-codes",
                json: [
                    "role": "reporter", "name": "Bound Reporter",
                    "constituencies": [.string(ReferenceFixture.station.national.rawValue)],
                ], token: admin.token)
            #expect(answer.status == 201, "\(answer.text)")
            let code = try #require(answer.object["code"]?.stringValue.flatMap { EnrollmentCode(typed: $0) })
            #expect(code.isBound(to: server.server.publicKey))
            #expect(answer.object["serverKeyFingerprint"] == .string(server.server.publicKey.fingerprint.hex))
            #expect(answer.object["tokenExpiresInSeconds"] == .null)
            #expect(try await server.code(.editor).isBound(to: server.server.publicKey))
        }
    }

    /// The device is enrolled under the name on its code: the request cannot choose another.
    @Test func theNameOnTheCodeWins() async throws {
        try await TestServer.with { server in
            let before = try await StoreFootprint.of(server)
            let code = try await server.code(.editor, name: "Intern Ali")
            let chosen = try await HTTP.post(
                server.url + "/v1/enroll", json: ["code": .string(code.description), "name": "Chief Editor (verified)"])
            chosen.expectProblem(400, "invalid-request", mentioning: ["name", "Intern Ali"], "another name")
            #expect(chosen.object["errors"]?[0]?["field"] == "name")
            #expect(chosen.object["errors"]?[0]?["code"] == "not-allowed")
            #expect(try await StoreFootprint.of(server) == before)

            // The same name, or none, enrolls; the log says the code's name.
            let same = try await HTTP.post(
                server.url + "/v1/enroll", json: ["code": .string(code.description), "name": "Intern Ali"])
            #expect(same.status == 201, "\(same.text)")
            #expect(same.object["name"] == "Intern Ali")
            let device = try #require(same.object["device"]?.stringValue.flatMap { DeviceID($0) })
            #expect(await server.server.reference.snapshot.data.devices[device]?.reporter == "Intern Ali")
            let unnamed = try await HTTP.post(
                server.url + "/v1/enroll",
                json: ["code": .string(try await server.code(.auditor, name: "Auditor A").description)])
            #expect(unnamed.object["name"] == "Auditor A")
        }
    }

    /// Wrong codes are throttled per client address and in all: 429 with Retry-After, even for a right
    /// code, until the window has passed. Behind a proxy on this machine, the address is the last of
    /// X-Forwarded-For.
    @Test func wrongCodesAreThrottled() async throws {
        var configuration = ServerConfiguration()
        // A window long enough that a machine running every suite at once, taking seconds for each
        // request, still sends every request of the test inside it. The test waits it out once.
        configuration.enrollmentAttempts = EnrollmentAttemptLimits(perAddress: 3, total: 5, windowSeconds: 60)
        try await TestServer.with(configuration) { server in
            func enroll(_ code: EnrollmentCode, from address: String) async throws -> HTTPAnswer {
                try await HTTP.send(
                    .POST, server.url + "/v1/enroll", body: CanonicalJSON.bytes(["code": .string(code.description)]),
                    headers: [("X-Forwarded-For", "198.51.100.1, \(address)")])
            }
            let wrong = { EnrollmentCode.make(boundTo: server.server.publicKey) }
            for _ in 0..<3 {
                (try await enroll(wrong(), from: "203.0.113.7")).expectProblem(
                    403, "enrollment-code-unknown", "a wrong code")
            }
            let right = try await server.code(.auditor)
            let throttled = try await enroll(right, from: "203.0.113.7")
            throttled.expectProblem(429, "enrollment-throttled", mentioning: ["203.0.113.7", "3 wrong"], "the fourth")
            let retryAfter = try #require(throttled.headers.first(name: "retry-after").flatMap { Int($0) })
            #expect(retryAfter >= 1 && retryAfter <= 61)
            #expect(throttled.object["retryAfter"] == .integer(Int64(retryAfter)))

            // Another address may still try, until all addresses together have sent 5 wrong codes.
            (try await enroll(wrong(), from: "203.0.113.8")).expectProblem(403, "enrollment-code-unknown", "elsewhere")
            (try await enroll(wrong(), from: "203.0.113.9")).expectProblem(403, "enrollment-code-unknown", "elsewhere")
            let global = try await enroll(right, from: "203.0.113.10")
            global.expectProblem(429, "enrollment-throttled", mentioning: ["5 wrong"], "past the total")
            #expect(global.headers.first(name: "retry-after") != nil)

            // Once the window has passed, the right code enrolls.
            try await Task.sleep(for: .seconds(retryAfter))
            let later = try await enroll(right, from: "203.0.113.7")
            #expect(later.status == 201, "\(later.text)")
            let metrics = try await HTTP.get(
                server.url + "/metrics", token: try await server.enroll(.admin, sendKey: false).token)
            #expect(metrics.text.contains(#"fieldsync_enrollment_refusals_total{problem="enrollment-throttled"} 2"#))
            #expect(metrics.text.contains(#"fieldsync_enrollment_refusals_total{problem="enrollment-code-unknown"} 5"#))
        }
    }
}
