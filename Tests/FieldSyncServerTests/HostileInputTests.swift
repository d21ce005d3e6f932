import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

@testable import FieldSyncServer

/// A corpus of hostile requests, sent over real HTTP to a server on a real database. Each is answered
/// with the right 4xx (a flood: 429 or 503 with `Retry-After`) as problem+json whose `detail` names
/// what is wrong, and none stores anything: the log's head, the credentials, the codes used and the
/// conflicts recorded are as they were.
@Suite struct HostileInputTests {
    /// What one endpoint must answer: status, problem kind, and words the detail must contain.
    struct Refusal: Sendable {
        var status: Int
        var kind: String
        var mentions: [String]

        init(_ status: Int, _ kind: String, _ mentions: [String] = []) {
            self.status = status
            self.kind = kind
            self.mentions = mentions
        }
    }

    /// A malformed body, as sent to `POST /v1/events` (as a batch) and to `POST /v1/enroll`.
    struct MalformedBody: Sendable {
        var name: String
        var batch: [UInt8]
        var enrollment: [UInt8]
        var events: Refusal
        var enroll: Refusal
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A batch and an enrollment whose one string member holds `string`, the raw bytes of a JSON string
    /// (quotes included).
    static func withString(_ string: [UInt8]) -> (batch: [UInt8], enrollment: [UInt8]) {
        (bytes(#"[{"id":"#) + string + bytes("}]"), bytes(#"{"code":"#) + string + bytes("}"))
    }

    static let malformedBodies: [MalformedBody] = {
        let invalidJSON = { (mentions: [String]) in Refusal(400, "invalid-json", mentions) }
        func same(_ name: String, _ body: [UInt8], _ refusal: Refusal) -> MalformedBody {
            MalformedBody(name: name, batch: body, enrollment: body, events: refusal, enroll: refusal)
        }
        func string(_ name: String, _ string: [UInt8], _ mentions: [String]) -> MalformedBody {
            let (batch, enrollment) = withString(string)
            return MalformedBody(
                name: name, batch: batch, enrollment: enrollment, events: invalidJSON(mentions),
                enroll: invalidJSON(mentions))
        }
        let quote = UInt8(ascii: "\"")
        return [
            MalformedBody(
                name: "100,000 nested arrays", batch: Array(repeating: UInt8(ascii: "["), count: 100_000),
                enrollment: Array(repeating: UInt8(ascii: "["), count: 100_000),
                events: invalidJSON(["65 levels", "64"]),
                // Beyond the 64 KiB an enrollment may have: refused before it is parsed.
                enroll: Refusal(413, "body-too-large", ["65536"])),
            same(
                "50,000 nested arrays", Array(repeating: UInt8(ascii: "["), count: 50_000),
                invalidJSON(["65 levels", "64"])),
            same(
                "12,000 nested objects", Array(String(repeating: #"{"a":"#, count: 12_000).utf8),
                invalidJSON(["65 levels", "64"])),
            same(
                "nested arrays closed at 65 levels",
                bytes(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)),
                invalidJSON(["65 levels", "64"])),
            string("invalid UTF-8 in a string", [quote, 0xc3, 0x28, quote], ["UTF-8"]),
            string("an overlong UTF-8 form", [quote, 0xc0, 0xaf, quote], ["UTF-8"]),
            string("an encoded surrogate", [quote, 0xed, 0xa0, 0x80, quote], ["UTF-8"]),
            string("a lone surrogate escape", bytes(#""\ud800""#), ["surrogate"]),
            string("a lone low surrogate escape", bytes(#""\udc00x""#), ["surrogate"]),
            string("a NUL byte in a string", [quote, 0x61, 0x00, 0x62, quote], ["U+0000"]),
            string("an escaped NUL", bytes(#""a\u0000b""#), ["U+0000"]),
            string("a raw line feed in a string", [quote, 0x61, 0x0a, quote], ["control character"]),
            MalformedBody(
                name: "a byte order mark", batch: [0xef, 0xbb, 0xbf] + bytes("[]"),
                enrollment: [0xef, 0xbb, 0xbf] + bytes(#"{"code":"K7QF-2M9X-4RTA-8HCV"}"#),
                events: invalidJSON(["byte order mark"]), enroll: invalidJSON(["byte order mark"])),
            MalformedBody(
                name: "truncated JSON", batch: bytes(#"[{"specversion":"1.0","id":"25ad78b3-5f25"#),
                enrollment: bytes(#"{"code":"K7QF-2M9X"#), events: invalidJSON(["ends too early"]),
                enroll: invalidJSON(["ends too early"])),
            same("an empty body", [], invalidJSON(["ends too early"])),
            same("whitespace only", bytes(" \n\t "), invalidJSON(["ends too early"])),
            MalformedBody(
                name: "null", batch: bytes("null"), enrollment: bytes("null"),
                events: Refusal(400, "invalid-request", ["array", "null"]), enroll: invalidJSON(["null", "object"])),
            MalformedBody(
                name: "the other container", batch: bytes(#"{"id":1}"#), enrollment: bytes(#"[{"code":"x"}]"#),
                events: Refusal(400, "invalid-request", ["array", "object"]), enroll: invalidJSON(["array", "object"])),
            MalformedBody(
                name: "a string", batch: bytes(#""[]""#), enrollment: bytes(#""{}""#),
                events: Refusal(400, "invalid-request", ["array", "string"]), enroll: invalidJSON(["string", "object"])),
            same("two values", bytes("[] []"), invalidJSON(["after the end"])),
            same("a fraction", bytes(#"{"a":[412.0]}"#), invalidJSON(["integers"])),
            same("a huge number", bytes(#"{"a":[1e400]}"#), invalidJSON(["integers"])),
            same("a long integer", bytes(#"{"a":[99999999999999999999]}"#), invalidJSON(["2^53"])),
            same("a duplicate member", bytes(#"{"code":"a","code":"b"}"#), invalidJSON(["duplicate", "code"])),
            same("single quotes", bytes("{'code':'x'}"), invalidJSON(["'"])),
            same("a bare word", bytes("undefined"), invalidJSON(["'u'"])),
        ]
    }()

    @Test func malformedJSONIsRefusedWhole() async throws {
        try await TestServer.with { server in
            let reporter = try await server.enroll()
            let before = try await StoreFootprint.of(server)
            for body in Self.malformedBodies {
                let pushed = try await HTTP.send(
                    .POST, server.url + "/v1/events", token: reporter.token, body: body.batch,
                    contentType: "application/cloudevents-batch+json")
                pushed.expectProblem(
                    body.events.status, body.events.kind, mentioning: body.events.mentions, "events, \(body.name)")
                let enrolled = try await HTTP.send(.POST, server.url + "/v1/enroll", body: body.enrollment)
                enrolled.expectProblem(
                    body.enroll.status, body.enroll.kind, mentioning: body.enroll.mentions, "enroll, \(body.name)")
            }
            #expect(try await StoreFootprint.of(server) == before)
            #expect(try await HTTP.get(server.url + "/healthz").status == 200)
        }
    }

    @Test func oversizedBodiesAndBatchesAreRefused() async throws {
        let configuration = ServerConfiguration(maximumBatchEvents: 5, maximumBodyBytes: 64 << 10)
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            let before = try await StoreFootprint.of(server)
            var spare = reporter
            var padded = spare.nextTurnout().jsonObject
            padded["padding"] = .string(String(repeating: "x", count: 200 << 10))
            let big = TestDevice.batch(objects: [.object(padded)])

            let declared = try await HTTP.send(.POST, server.url + "/v1/events", token: reporter.token, body: big)
            declared.expectProblem(
                413, "body-too-large", mentioning: ["\(big.count) bytes", "65536"], "Content-Length")
            let chunked = try await HTTP.sendChunked(server.url + "/v1/events", token: reporter.token, body: big)
            chunked.expectProblem(413, "body-too-large", mentioning: ["65536"], "chunked, no Content-Length")
            let enrollment = try await HTTP.sendChunked(
                server.url + "/v1/enroll",
                body: Self.bytes(#"{"code":""#) + Array(repeating: UInt8(ascii: "A"), count: 100 << 10)
                    + Self.bytes(#""}"#))
            enrollment.expectProblem(413, "body-too-large", mentioning: ["65536"], "enrollment, chunked")

            var six = [Event]()
            for minute in 0..<6 { six.append(reporter.nextTurnout(minute: minute)) }
            let tooMany = try await server.push(six, as: reporter)
            tooMany.expectProblem(413, "batch-too-large", mentioning: ["6 events", "5"], "six events")
            #expect(try await StoreFootprint.of(server) == before)

            // The limit is on size, not on chunking: a small chunked batch is taken.
            let small = try await HTTP.sendChunked(
                server.url + "/v1/events", token: reporter.token, body: TestDevice.batch(Array(six.prefix(2))),
                chunkSize: 100, contentType: "application/cloudevents-batch+json")
            #expect(small.status == 200, "\(small.text)")
            #expect(TestServer.outcomes(small) == ["appended", "appended"])
        }
    }

    @Test func wrongMediaTypesAreRefused() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let batch = TestDevice.batch([reporter.nextTurnout()])
            let enrollment = CanonicalJSON.bytes(["code": .string(try await server.code(.editor).description)])
            let before = try await StoreFootprint.of(server)
            let multipart = Self.bytes(
                "--x\r\nContent-Disposition: form-data; name=\"batch\"\r\nContent-Type: application/json\r\n\r\n")
            let types: [(String?, [String])] = [
                ("text/plain", ["text/plain"]),
                ("application/xml", ["application/xml"]),
                (nil, ["no stated type"]),
                ("multipart/form-data; boundary=x", ["multipart/form-data"]),
                ("application/x-www-form-urlencoded", ["application/x-www-form-urlencoded"]),
                ("application/cloudevents+json", ["application/cloudevents+json"]),
                ("application/jsonx", ["application/jsonx"]),
            ]
            for (type, mentions) in types {
                let wrapped = type?.hasPrefix("multipart") == true
                let events = try await HTTP.send(
                    .POST, server.url + "/v1/events", token: reporter.token,
                    body: wrapped ? multipart + batch + Self.bytes("\r\n--x--\r\n") : batch, contentType: type)
                events.expectProblem(
                    415, "unsupported-media-type", mentioning: mentions + ["application/cloudevents-batch+json"],
                    "events as \(type ?? "nothing")")
                let enroll = try await HTTP.send(
                    .POST, server.url + "/v1/enroll",
                    body: wrapped ? multipart + enrollment + Self.bytes("\r\n--x--\r\n") : enrollment, contentType: type
                )
                enroll.expectProblem(
                    415, "unsupported-media-type", mentioning: mentions + ["application/json"],
                    "enroll as \(type ?? "nothing")")
            }
            #expect(try await StoreFootprint.of(server) == before)
        }
    }

    @Test func enrollmentCodesAndKeysWorkOnce() async throws {
        try await TestServer.with { server in
            let enrolled = try await server.enroll(name: "Already Here")
            let reused = try await server.code(.reporter)
            let first = try await HTTP.post(
                server.url + "/v1/enroll",
                json: [
                    "code": .string(reused.description),
                    "publicKey": .string(SigningKey.generate().publicKey.base64URL),
                ])
            #expect(first.status == 201)
            let expired = try await server.code(.reporter, name: "Late Comer")
            _ = try await TestCluster.shared.withConnection(as: .owner, on: server.server.pool) { connection in
                try await connection.execute(
                    "UPDATE enrollment_codes SET expires_at = now() - interval '1 second' WHERE name = 'Late Comer'")
            }
            let fresh = try await server.code(.reporter)
            let editorCode = try await server.code(.editor)
            let devices = await server.server.reference.snapshot.data.devices.count
            let before = try await StoreFootprint.of(server)

            let newKey = { JSONValue.string(SigningKey.generate().publicKey.base64URL) }
            let cases: [(String, JSONValue, Refusal)] = [
                (
                    "a reused code", ["code": .string(reused.description), "publicKey": newKey()],
                    Refusal(409, "enrollment-code-used", ["already used"])
                ),
                (
                    "an expired code", ["code": .string(expired.description), "publicKey": newKey()],
                    Refusal(410, "enrollment-code-expired", ["expired"])
                ),
                (
                    "a code guessed at random",
                    [
                        "code": .string(EnrollmentCode.make(boundTo: server.server.publicKey).description),
                        "publicKey": newKey(),
                    ],
                    Refusal(403, "enrollment-code-unknown", ["no enrollment code"])
                ),
                (
                    "a key already enrolled",
                    ["code": .string(fresh.description), "publicKey": .string(enrolled.key.publicKey.base64URL)],
                    Refusal(409, "key-already-enrolled", ["\(enrolled.device)", "already enrolled"])
                ),
                (
                    "a malformed code", ["code": "'; DROP TABLE events; --", "publicKey": newKey()],
                    Refusal(400, "invalid-request", ["code"])
                ),
                (
                    "a code that is a number", ["code": 1234, "publicKey": newKey()],
                    Refusal(400, "invalid-request", ["code", "string"])
                ),
                ("no code", ["publicKey": newKey()], Refusal(400, "invalid-request", ["code", "missing"])),
                (
                    "a reporter without a key", ["code": .string(fresh.description)],
                    Refusal(400, "invalid-request", ["publicKey"])
                ),
                (
                    "a key that is no key", ["code": .string(fresh.description), "publicKey": "AAAA"],
                    Refusal(400, "invalid-request", ["publicKey"])
                ),
                (
                    "a name too long",
                    ["code": .string(editorCode.description), "name": .string(String(repeating: "n", count: 201))],
                    Refusal(400, "invalid-request", ["name"])
                ),
                (
                    "a name on two lines", ["code": .string(editorCode.description), "name": "Eve\nAdmin"],
                    Refusal(400, "invalid-request", ["name"])
                ),
                (
                    "an unknown member", ["code": .string(fresh.description), "role": "admin"],
                    Refusal(400, "invalid-request", ["role"])
                ),
                (
                    "a name other than the code's",
                    ["code": .string(editorCode.description), "name": "Chief Editor (verified)"],
                    Refusal(400, "invalid-request", ["name", "Test Person"])
                ),
            ]
            for (name, body, refusal) in cases {
                let answer = try await HTTP.post(server.url + "/v1/enroll", json: body)
                answer.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, name)
            }
            #expect(try await StoreFootprint.of(server) == before)
            #expect(await server.server.reference.snapshot.data.devices.count == devices)
            // The refusals did not use up the codes that were still good.
            let good = try await HTTP.post(
                server.url + "/v1/enroll", json: ["code": .string(fresh.description), "publicKey": newKey()])
            #expect(good.status == 201, "\(good.text)")
        }
    }

    @Test func forgedSignaturesAreRefusedWhole() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            #expect(try await server.push([reporter.nextTurnout()], as: reporter).status == 200)
            let before = try await StoreFootprint.of(server)
            let deviceHead = try await server.server.events.deviceHead(reporter.device.rawValue)
            var next = reporter.chain
            let genuine = try next.sign(TestDevice.turnoutDraft(votes: 10), key: reporter.key).jsonObject
            var impostor = reporter.chain
            let otherKey = try impostor.sign(TestDevice.turnoutDraft(votes: 10), key: SigningKey.generate())

            var shortSignature = genuine
            shortSignature["signature"] = .string(Base64URL.encode(Array(repeating: 7, count: 63)))
            var flipped = genuine
            // 10 → 11: the lowest bit of the count, changed after signing.
            flipped["data"] = .object(genuine["data"]!.objectValue!.merging(["votesCast": 11]) { $1 })
            var unsigned = genuine
            unsigned["signature"] = nil
            var garbage = genuine
            garbage["signature"] = "not base64url!"

            let cases: [(String, JSONValue, String)] = [
                ("signed by another key", otherKey.jsonValue, "bad-signature"),
                ("a signature of 63 bytes", .object(shortSignature), "invalid-format"),
                ("a bit flipped after signing", .object(flipped), "bad-signature"),
                ("no signature", .object(unsigned), "missing-member"),
                ("a signature that is no base64url", .object(garbage), "invalid-format"),
            ]
            for (name, event, code) in cases {
                let answer = try await HTTP.send(
                    .POST, server.url + "/v1/events", token: reporter.token, body: TestDevice.batch(objects: [event]))
                answer.expectProblem(422, "batch-invalid", mentioning: ["only event", "signature"], name)
                #expect(
                    answer.object["results"]?[0]?["errors"]?[0]?["code"] == .string(code), "\(name): \(answer.text)")
                #expect(answer.object["results"]?[0]?["seq"] == 2, "\(name)")
            }
            #expect(try await StoreFootprint.of(server) == before)
            #expect(try await server.server.events.deviceHead(reporter.device.rawValue) == deviceHead)
        }
    }

    @Test func eventsNamingAnotherSourceAreRefusedWhole() async throws {
        try await TestServer.with { server in
            var alice = try await server.enroll(name: "Alice")
            let bob = try await server.enroll(name: "Bob")
            let before = try await StoreFootprint.of(server)

            let alices = alice.nextTurnout()
            var asServer = alices.jsonObject
            asServer["source"] = "/server"
            var serverChain = DeviceChain(device: .server)
            let station = try serverChain.sign(
                EventDraft(payload: .stationDefined(ReferenceFixture.station), time: KarachiDemo.referenceTime),
                key: SigningKey.generate())
            var referenceFromBob = station.jsonObject
            referenceFromBob["source"] = .string(bob.device.source)
            var referenceFromServer = station.jsonObject
            referenceFromServer["signature"] = .string(Base64URL.encode(bob.key.signature(for: station.hash)))

            let cases: [(String, JSONValue, String, [String])] = [
                ("another reporter's event", alices.jsonValue, "source-mismatch", ["source", "\(alice.device)"]),
                (
                    "another reporter's source, signed with our key",
                    TestDevice.resigned(alices.jsonObject, key: bob.key), "source-mismatch", ["source"]
                ),
                (
                    "an observation from /server", TestDevice.resigned(asServer, key: bob.key), "source-mismatch",
                    ["source"]
                ),
                (
                    "reference data from our device", TestDevice.resigned(referenceFromBob, key: bob.key),
                    "source-mismatch",
                    ["source"]
                ),
                ("reference data as /server", .object(referenceFromServer), "source-mismatch", ["source"]),
            ]
            for (name, event, code, mentions) in cases {
                let answer = try await HTTP.send(
                    .POST, server.url + "/v1/events", token: bob.token, body: TestDevice.batch(objects: [event]))
                answer.expectProblem(422, "batch-invalid", mentioning: mentions, name)
                #expect(
                    answer.object["results"]?[0]?["errors"]?[0]?["code"] == .string(code), "\(name): \(answer.text)")
            }
            #expect(try await StoreFootprint.of(server) == before)
            #expect(try await server.server.events.deviceHead(alice.device.rawValue) == nil)
            #expect(try await server.server.events.deviceHead(bob.device.rawValue) == nil)
        }
    }

    @Test func replayedBatchesStoreNothingNew() async throws {
        try await TestServer.with { server in
            var alice = try await server.enroll(name: "Alice")
            let bob = try await server.enroll(name: "Bob")
            let batch = (0..<3).map { alice.nextTurnout(votes: 10 + $0, minute: $0) }
            let stored = try await server.push(batch, as: alice)
            #expect(TestServer.outcomes(stored) == ["appended", "appended", "appended"])
            let positions = (stored.object["results"]?.arrayValue ?? []).map { $0["position"] }
            let before = try await StoreFootprint.of(server)
            let aliceHead = try await server.server.events.deviceHead(alice.device.rawValue)

            // The same device again: the protocol's idempotency, "already have it" at the same positions.
            for _ in 0..<2 {
                let again = try await server.push(batch, as: alice)
                #expect(again.status == 200)
                #expect(TestServer.outcomes(again) == ["duplicate", "duplicate", "duplicate"])
                #expect((again.object["results"]?.arrayValue ?? []).map { $0["position"] } == positions)
                #expect(again.object["receipt"]?["head"]?["position"] == .integer(before.head.position))
            }
            // Part of it, and out of order: still nothing new.
            let shuffled = try await server.push([batch[2], batch[0]], as: alice)
            #expect(TestServer.outcomes(shuffled) == ["duplicate", "duplicate"])

            // Another device's token replaying it: refused whole.
            let stolen = try await server.push(batch, as: bob)
            stolen.expectProblem(
                422, "batch-invalid", mentioning: ["3 events", "source"], "replayed by another device")
            #expect(TestServer.outcomes(stolen) == ["invalid", "invalid", "invalid"])
            #expect(
                (stolen.object["results"]?.arrayValue ?? []).allSatisfy {
                    $0["errors"]?[0]?["code"] == "source-mismatch"
                })

            #expect(try await StoreFootprint.of(server) == before)
            #expect(try await server.server.events.deviceHead(alice.device.rawValue) == aliceHead)
            #expect(try await server.server.events.deviceHead(bob.device.rawValue) == nil)
        }
    }

    @Test func badCredentialsAreRefused() async throws {
        try await TestServer.with { server in
            var reporter = try await server.enroll()
            let editor = try await server.enroll(.editor, sendKey: false)
            let admin = try await server.enroll(.admin, sendKey: false)
            var revoked = try await server.enroll(name: "Stolen Laptop")
            let revocation = try await HTTP.post(
                server.url + "/v1/devices/\(revoked.device)/revocation", json: ["reason": "laptop stolen"],
                token: admin.token)
            #expect(revocation.status == 200)
            let before = try await StoreFootprint.of(server)
            let batch = TestDevice.batch([reporter.nextTurnout()])
            let revokedBatch = TestDevice.batch([revoked.nextTurnout()])
            let unknown = Base64URL.encode(SecureRandom.bytes(32))

            let headers: [(String, [(String, String)], Refusal)] = [
                ("no Authorization", [], Refusal(401, "unauthorized", ["Authorization: Bearer"])),
                ("Bearer and nothing", [("Authorization", "Bearer ")], Refusal(401, "unauthorized", ["bearer token"])),
                ("Bearer alone", [("Authorization", "Bearer")], Refusal(401, "unauthorized", ["bearer token"])),
                (
                    "a malformed token", [("Authorization", "Bearer not/a+token==")],
                    Refusal(401, "unauthorized", ["bearer token"])
                ),
                ("a short token", [("Authorization", "Bearer abc")], Refusal(401, "unauthorized", ["43 base64url"])),
                (
                    "basic credentials", [("Authorization", "Basic dXNlcjpwYXNz")],
                    Refusal(401, "unauthorized", ["bearer token"])
                ),
                (
                    "an unknown token", [("Authorization", "Bearer \(unknown)")],
                    Refusal(401, "unauthorized", ["not known"])
                ),
                (
                    "two tokens", [("Authorization", "Bearer \(reporter.token) \(reporter.token)")],
                    Refusal(401, "unauthorized", ["bearer token"])
                ),
            ]
            for (name, header, refusal) in headers {
                let push = try await HTTP.send(.POST, server.url + "/v1/events", body: batch, headers: header)
                push.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, "push, \(name)")
                #expect(push.headers.first(name: "www-authenticate")?.hasPrefix("Bearer") == true, "\(name)")
                let head = try await HTTP.send(
                    .GET, server.url + "/v1/devices/\(reporter.device)/head", headers: header)
                head.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, "head, \(name)")
            }

            let pushRevoked = try await HTTP.send(
                .POST, server.url + "/v1/events", token: revoked.token, body: revokedBatch)
            pushRevoked.expectProblem(
                403, "device-revoked", mentioning: ["\(revoked.device)", "revoked"], "a revoked device")

            let wrongRole: [(String, HTTPMethod, String, TestDevice, [UInt8]?)] = [
                ("a reporter exporting events", .GET, "/v1/events", reporter, nil),
                ("a reporter reading tallies", .GET, "/v1/tallies", reporter, nil),
                (
                    "a reporter reading a seat's photos", .GET,
                    "/v1/tallies/\(ReferenceFixture.station.national)/photos", reporter, nil
                ),
                ("a reporter reading a station", .GET, "/v1/stations/\(ReferenceFixture.station.code)", reporter, nil),
                ("a reporter exporting a spreadsheet", .GET, "/v1/exports/stations.csv", reporter, nil),
                ("a reporter exporting the official comparison", .GET, "/v1/exports/official.csv", reporter, nil),
                ("a reporter reading the official comparison", .GET, "/v1/official", reporter, nil),
                ("a reporter following the live feed", .GET, "/v1/live", reporter, nil),
                ("a reporter reading the signed head", .GET, "/v1/chain/head", reporter, nil),
                ("a reporter reading another's head", .GET, "/v1/devices/\(editor.device)/head", reporter, nil),
                (
                    "a reporter making codes", .POST, "/v1/enrollment-codes", reporter,
                    CanonicalJSON.bytes(["role": "admin", "name": "Eve"])
                ),
                (
                    "a reporter revoking", .POST, "/v1/devices/\(editor.device)/revocation", reporter,
                    CanonicalJSON.bytes(["reason": "spite"])
                ),
                ("an editor pushing", .POST, "/v1/events", editor, batch),
                ("a reporter reading a photo", .GET, "/v1/photos/\(SHA256Digest.zero.hex)", reporter, nil),
                (
                    "an editor uploading a photo", .PUT, "/v1/photos/\(SHA256Digest.zero.hex)", editor,
                    [0xFF, 0xD8, 0xFF]
                ),
                ("an editor asking for an upload", .GET, "/v1/photos/\(SHA256Digest.zero.hex)/upload", editor, nil),
            ]
            for (name, method, path, device, body) in wrongRole {
                let answer = try await HTTP.send(method, server.url + path, token: device.token, body: body)
                answer.expectProblem(403, "forbidden", mentioning: ["\(device.device)"], name)
            }
            #expect(try await StoreFootprint.of(server) == before)
            #expect(try await server.server.events.deviceHead(reporter.device.rawValue) == nil)
        }
    }

    @Test func badPathsAndQueriesAreRefused() async throws {
        try await TestServer.with { server in
            let admin = try await server.enroll(.admin, sendKey: false)
            let before = try await StoreFootprint.of(server)
            let station = ReferenceFixture.station.code
            let photo = SHA256Digest.hash("a photo no event names")
            let stranger = SigningKey.generate().publicKey
            let strangerHead = TreeHead(size: 1, root: SHA256Digest.hash("a root"), time: .now())
                .signed(with: SigningKey.generate())
            let cases: [(HTTPMethod, String, JSONValue?, Refusal)] = [
                (.GET, "/v1/devices/garbage/head", nil, Refusal(400, "invalid-request", ["garbage", "device id"])),
                (.GET, "/v1/devices/%2e%2e%2f%2e%2e/head", nil, Refusal(400, "invalid-request", ["device id"])),
                (.GET, "/v1/devices/..%2F..%2Fetc%2Fpasswd/head", nil, Refusal(400, "invalid-request", ["device id"])),
                (.GET, "/v1/devices/0123456789ABCDEF0123/head", nil, Refusal(400, "invalid-request", ["device id"])),
                (.GET, "/v1/devices/%00/head", nil, Refusal(400, "invalid-request", ["device id"])),
                (.GET, "/v1/devices/a/b/head", nil, Refusal(404, "not-found", ["/v1/devices/a/b/head"])),
                (.GET, "/v1/events?after=-1", nil, Refusal(400, "invalid-request", ["after", "-1"])),
                (.GET, "/v1/events?after=abc", nil, Refusal(400, "invalid-request", ["after", "abc"])),
                (.GET, "/v1/events?after=1.5", nil, Refusal(400, "invalid-request", ["after"])),
                (.GET, "/v1/events?after=", nil, Refusal(400, "invalid-request", ["after"])),
                (.GET, "/v1/events?after=99999999999999999999", nil, Refusal(400, "invalid-request", ["after"])),
                (
                    .GET, "/v1/events?after=9223372036854775807", nil,
                    Refusal(400, "invalid-request", ["after", "9007199254740991"])
                ),
                (.GET, "/v1/events?limit=0", nil, Refusal(400, "invalid-request", ["limit"])),
                (
                    .GET, "/v1/events?after=1&limit=9223372036854775807", nil,
                    Refusal(400, "invalid-request", ["limit", "9007199254740991"])
                ),
                (.GET, "/v1/tallies/NA-999", nil, Refusal(404, "not-found", ["NA-999"])),
                (.GET, "/v1/tallies/NA-0", nil, Refusal(400, "invalid-request", ["NA-0"])),
                (.GET, "/v1/tallies/XX-1", nil, Refusal(400, "invalid-request", ["constituency"])),
                (.GET, "/v1/tallies/NA-999/photos", nil, Refusal(404, "not-found", ["NA-999"])),
                (.GET, "/v1/tallies/%2e%2e/photos", nil, Refusal(400, "invalid-request", ["constituency"])),
                (.GET, "/v1/tallies/NA-0/photos", nil, Refusal(400, "invalid-request", ["NA-0"])),
                (.GET, "/v1/tallies?asOf=yesterday", nil, Refusal(400, "invalid-request", ["asOf", "yesterday"])),
                (.GET, "/v1/tallies?position=-1", nil, Refusal(400, "invalid-request", ["position"])),
                (.GET, "/v1/tallies?position=1e3", nil, Refusal(400, "invalid-request", ["position"])),
                (
                    .GET, "/v1/tallies?position=99999999999999999", nil,
                    Refusal(400, "invalid-request", ["position", "9007199254740991"])
                ),
                (
                    .GET, "/v1/tallies?position=1&asOf=2024-02-08T17:00:00Z", nil,
                    Refusal(400, "invalid-request", ["position and asOf"])
                ),
                (.GET, "/v1/stations/NA-248-9999", nil, Refusal(404, "not-found", ["NA-248-9999"])),
                (
                    .GET, "/v1/stations/\(station)?asOf=2024-13-01T00:00:00Z", nil,
                    Refusal(400, "invalid-request", ["asOf"])
                ),
                (.GET, "/v1/stations/..%2F..", nil, Refusal(400, "invalid-request", ["station"])),
                (
                    .GET, "/v1/exports/ballots.csv", nil,
                    Refusal(400, "invalid-request", ["ballots.csv", "stations, seats, incidents or official"])
                ),
                (.GET, "/v1/exports/STATIONS.csv", nil, Refusal(400, "invalid-request", ["what", "stations"])),
                (.GET, "/v1/exports/stations%00.csv", nil, Refusal(400, "invalid-request", ["what"])),
                (.GET, "/v1/exports/..%2F..%2Fetc%2Fpasswd.csv", nil, Refusal(400, "invalid-request", ["what"])),
                (.GET, "/v1/exports/stations", nil, Refusal(404, "not-found", ["/v1/exports/stations"])),
                (.GET, "/v1/exports/stations.json", nil, Refusal(404, "not-found", ["/v1/exports/stations.json"])),
                (.POST, "/v1/exports/stations.csv", nil, Refusal(405, "method-not-allowed", ["POST"])),
                (.GET, "/v1/official/NA-248", nil, Refusal(404, "not-found", ["/v1/official/NA-248"])),
                (.PUT, "/v1/official", nil, Refusal(405, "method-not-allowed", ["PUT"])),
                (.GET, "/v1/live?after=-5", nil, Refusal(400, "invalid-request", ["-5"])),
                (.GET, "/v1/live?after=soon", nil, Refusal(400, "invalid-request", ["soon"])),
                (.GET, "/v1/tree/inclusion", nil, Refusal(400, "invalid-request", ["position", "required"])),
                (.GET, "/v1/tree/inclusion?position=1", nil, Refusal(400, "invalid-request", ["size", "required"])),
                (.GET, "/v1/tree/inclusion?position=0&size=1", nil, Refusal(400, "invalid-request", ["position"])),
                (
                    .GET, "/v1/tree/inclusion?position=5&size=3", nil,
                    Refusal(400, "invalid-request", ["position", "3"])
                ),
                (
                    .GET, "/v1/tree/inclusion?position=x&size=3", nil,
                    Refusal(400, "invalid-request", ["position", "x"])
                ),
                (
                    .GET, "/v1/tree/inclusion?position=1&size=9007199254740991", nil,
                    Refusal(404, "beyond-tree-head", ["9007199254740991"])
                ),
                (.GET, "/v1/tree/consistency?from=5&to=3", nil, Refusal(400, "invalid-request", ["from", "grows"])),
                (.GET, "/v1/tree/consistency?from=0&to=3", nil, Refusal(400, "invalid-request", ["from"])),
                (.GET, "/v1/tree/consistency?from=1", nil, Refusal(400, "invalid-request", ["to", "required"])),
                (.GET, "/v1/tree/consistency?from=1&to=1e9", nil, Refusal(400, "invalid-request", ["to"])),
                (.GET, "/v1/tree/consistency?from=1&to=99999", nil, Refusal(404, "beyond-tree-head", ["99999"])),
                (.GET, "/v1/tree/heads?after=-1", nil, Refusal(400, "invalid-request", ["after", "-1"])),
                (.GET, "/v1/tree/heads?limit=0", nil, Refusal(400, "invalid-request", ["limit"])),
                (.POST, "/v1/tree/head", nil, Refusal(405, "method-not-allowed", ["POST"])),
                (.POST, "/v1/tree/cosignatures", [:], Refusal(400, "invalid-request", ["type", "cosignature"])),
                (
                    .POST, "/v1/tree/cosignatures", ["type": "fieldsync.tree-head-cosignature.v1", "witness": "x"],
                    Refusal(400, "invalid-request", ["witness", "public key"])
                ),
                (
                    .POST, "/v1/tree/cosignatures",
                    ["type": "fieldsync.tree-head-cosignature.v1", "witness": .string(stranger.base64URL)],
                    Refusal(403, "witness-unknown", [stranger.base64URL, "admin witness add"])
                ),
                (.POST, "/v1/tree/cosignatures", ["x": .array([])], Refusal(400, "invalid-request", ["type"])),
                (.DELETE, "/v1/tree/cosignatures", nil, Refusal(405, "method-not-allowed", ["DELETE"])),
                (.GET, "/v1/tree/witnessed", nil, Refusal(400, "invalid-request", ["position", "required"])),
                (.GET, "/v1/tree/witnessed?position=-1", nil, Refusal(400, "invalid-request", ["position"])),
                (.GET, "/v1/tree/witnessed?position=one", nil, Refusal(400, "invalid-request", ["position", "one"])),
                (.POST, "/v1/tree/split-views", [:], Refusal(400, "invalid-request", ["heads", "missing"])),
                (.POST, "/v1/tree/split-views", ["heads": "two"], Refusal(400, "invalid-request", ["heads", "array"])),
                (
                    .POST, "/v1/tree/split-views", ["heads": [.object([:]), .object([:])]],
                    Refusal(400, "invalid-request", ["heads", "0 tree heads"])
                ),
                (
                    .POST, "/v1/tree/split-views", ["heads": [.object(strangerHead), .object(strangerHead)]],
                    Refusal(400, "invalid-request", ["heads", "signed by this server"])
                ),
                (
                    .POST, "/v1/tree/split-views", ["heads": [], "extra": 1],
                    Refusal(400, "invalid-request", ["extra"])
                ),
                (.GET, "/v1/nowhere", nil, Refusal(404, "not-found", ["/v1/nowhere"])),
                (.GET, "/v1/photos/garbage", nil, Refusal(400, "invalid-request", ["garbage", "photo"])),
                (.GET, "/v1/photos/\(photo.hex.uppercased())", nil, Refusal(400, "invalid-request", ["photo"])),
                (.GET, "/v1/photos/..%2F..%2Fetc%2Fpasswd", nil, Refusal(400, "invalid-request", ["photo"])),
                (.GET, "/v1/photos/\(photo.hex)", nil, Refusal(404, "not-found", [photo.hex, "no event"])),
                (.GET, "/v1/photos/%00/upload", nil, Refusal(400, "invalid-request", ["photo"])),
                (.PUT, "/v1/photos/\(photo.hex)", ["not": "a photo"], Refusal(409, "photo-not-named", [photo.hex])),
                (.DELETE, "/v1/photos/\(photo.hex)", nil, Refusal(405, "method-not-allowed", ["DELETE"])),
                (.DELETE, "/v1/events", nil, Refusal(405, "method-not-allowed", ["DELETE"])),
                (.GET, "/v1/bundles", nil, Refusal(405, "method-not-allowed", ["GET"])),
                (
                    .POST, "/v1/bundles", ["not": "a bundle"],
                    Refusal(415, "unsupported-media-type", ["application/vnd.fieldsync.bundle"])
                ),
                (
                    .POST, "/v1/enrollment-codes",
                    ["role": "editor", "name": "Forever", "expiresInSeconds": 9_007_199_254_740_991],
                    Refusal(400, "invalid-request", ["expiresInSeconds"])
                ),
                (
                    .POST, "/v1/enrollment-codes", ["role": "editor", "name": "Never", "expiresInSeconds": 0],
                    Refusal(400, "invalid-request", ["expiresInSeconds"])
                ),
                (
                    .POST, "/v1/enrollment-codes", ["role": "root", "name": "Eve"],
                    Refusal(400, "invalid-request", ["root"])
                ),
                (
                    .POST, "/v1/devices/garbage/revocation", ["reason": "x"],
                    Refusal(400, "invalid-request", ["garbage"])
                ),
                (
                    .POST, "/v1/devices/0123456789abcdef0123/revocation", ["reason": "never enrolled"],
                    Refusal(404, "device-not-enrolled", ["0123456789abcdef0123"])
                ),
            ]
            for (method, path, body, refusal) in cases {
                let answer = try await HTTP.send(
                    method, server.url + path, token: admin.token, body: body.map { CanonicalJSON.bytes($0) })
                answer.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, "\(method) \(path)")
            }
            #expect(try await StoreFootprint.of(server) == before)
            #expect(try await HTTP.get(server.url + "/healthz").status == 200)
        }
    }

    /// Official imports (`POST /v1/official`, a CSV file): every bad query, media type, file or caller is
    /// refused with what is wrong, and nothing of the file is stored.
    @Test func badOfficialImportsStoreNothing() async throws {
        let configuration = ServerConfiguration(maximumBodyBytes: 64 << 10)
        try await TestServer.with(configuration) { server in
            let editor = try await server.enroll(.editor, sendKey: false)
            let reporter = try await server.enroll()
            let before = try await StoreFootprint.of(server)
            let station = ReferenceFixture.station
            let standing = ReferenceFixture.candidates.filter { $0.constituency == station.national }
            let rows = standing.map { "\(station.code),\(station.national),\($0.id),7" }
            let good =
                ["station,constituency,candidate,votes"] + rows + [
                    "\(station.code),\(station.national),rejected,1",
                    "\(station.code),\(station.national),total,\(standing.count * 7 + 1)",
                ]
            let file = Self.bytes(good.joined(separator: "\n"))
            let badTotal = Self.bytes(
                (good.dropLast() + ["\(station.code),\(station.national),total,1"]).joined(separator: "\n"))
            let cases: [(String, [UInt8], String?, Refusal)] = [
                ("", file, "text/csv", Refusal(400, "invalid-request", ["form"])),
                ("?form=46", file, "text/csv", Refusal(400, "invalid-request", ["46", "form"])),
                ("?form=45&source=javascript:alert(1)", file, "text/csv", Refusal(400, "invalid-request", ["source"])),
                ("?form=45", file, "application/json", Refusal(415, "unsupported-media-type", ["text/csv"])),
                ("?form=45", file, nil, Refusal(415, "unsupported-media-type", ["text/csv"])),
                ("?form=45", [0xff, 0xfe] + file, "text/csv", Refusal(400, "invalid-request", ["line 1", "UTF-8"])),
                ("?form=45", badTotal, "text/csv", Refusal(400, "invalid-request", ["the total 1"])),
                ("?form=47", file, "text/csv", Refusal(400, "invalid-request", ["line 1", "header"])),
                ("?form=45", [], "text/csv", Refusal(400, "invalid-request", ["empty"])),
                ("?form=45", Self.bytes("\"unclosed"), "text/csv", Refusal(400, "invalid-request", ["quoted"])),
                (
                    "?form=45", Array(repeating: UInt8(ascii: "a"), count: 70 << 10), "text/csv",
                    Refusal(413, "body-too-large", ["65536"])
                ),
            ]
            for (query, body, type, refusal) in cases {
                let answer = try await HTTP.send(
                    .POST, server.url + "/v1/official" + query, token: editor.token, body: body, contentType: type)
                answer.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, "official\(query)")
            }
            let asReporter = try await HTTP.send(
                .POST, server.url + "/v1/official?form=45", token: reporter.token, body: file, contentType: "text/csv")
            asReporter.expectProblem(403, "forbidden", mentioning: [], "a reporter's import")
            #expect(try await StoreFootprint.of(server) == before)
        }
    }

    /// Floods: pushes beyond a device's rate, live streams beyond a device's and the server's limits,
    /// exports beyond the slots. Each is answered 429 or 503 with `Retry-After`, and stores nothing.
    @Test func floodsAreAnsweredWithRetryAfterAndStoreNothing() async throws {
        var configuration = ServerConfiguration(maximumBatchEvents: 10)
        // A refill so slow (1,000 s for a batch) that however long a loaded machine takes over the test,
        // no push after the burst finds its tokens.
        configuration.pushEventsPerSecond = 0.01
        configuration.pushBurstEvents = 10
        configuration.maximumLiveStreamsPerDevice = 1
        configuration.maximumLiveStreams = 2
        configuration.maximumConcurrentExports = 1
        try await TestServer.with(configuration) { server in
            var reporter = try await server.enroll()
            let editors = [
                try await server.enroll(.editor, name: "Editor One", sendKey: false),
                try await server.enroll(.editor, name: "Editor Two", sendKey: false),
                try await server.enroll(.editor, name: "Editor Three", sendKey: false),
            ]
            let burst = (0..<10).map { reporter.nextTurnout(minute: $0) }
            #expect(try await server.push(burst, as: reporter).status == 200)
            var streams = [RawConnection]()
            for editor in editors.prefix(2) {
                let stream = try RawConnection(to: server.url)
                stream.get("/v1/live", token: editor.token)
                #expect(try await stream.wait(for: "event: hello"))
                streams.append(stream)
            }
            // The one export slot, held as a long export holds it (LimitTests holds it with a real one).
            let slot = try server.server.exports.take()
            let before = try await StoreFootprint.of(server)

            var answers = [(String, HTTPAnswer, Refusal)]()
            for round in 0..<3 {
                let events = (0..<10).map { reporter.nextTurnout(minute: 100 + round * 10 + $0) }
                let refusal = Refusal(429, "push-rate-limited", ["\(reporter.device)"])
                let answer = try await server.push(events, as: reporter)
                answers.append(("a push beyond the rate, \(round + 1)", answer, refusal))
            }
            let (live, export) = (server.url + "/v1/live", server.url + "/v1/events")
            answers += [
                (
                    "a second stream of one device", try await HTTP.get(live, token: editors[0].token),
                    Refusal(429, "too-many-live-streams", ["\(editors[0].device)"])
                ),
                (
                    "a stream beyond the server's", try await HTTP.get(live, token: editors[2].token),
                    Refusal(503, "live-streams-full", ["2 live streams"])
                ),
                (
                    "an export beyond the slots", try await HTTP.get(export, token: editors[2].token),
                    Refusal(503, "exports-busy", ["1 export"])
                ),
            ]
            for (name, answer, refusal) in answers {
                answer.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, name)
                let wait = answer.headers.first(name: "retry-after")
                #expect(wait.flatMap { Int($0) }.map { $0 >= 1 } == true, "\(name): Retry-After \(wait ?? "none")")
            }
            #expect(try await StoreFootprint.of(server) == before)
            slot.release()
        }
    }

    /// `POST /v1/token` with bad credentials or a body that is not `{}`: refused, and no token changes.
    @Test func tokenRotationRefusesBadRequests() async throws {
        try await TestServer.with { server in
            let admin = try await server.enroll(.admin, sendKey: false)
            let reporter = try await server.enroll()
            let expired = try await server.enroll(name: "Out Of Time", tokenSeconds: 60)
            try await server.expireToken(of: expired.device)
            let revoked = try await server.enroll(name: "Stolen Laptop")
            let revocation = try await HTTP.post(
                server.url + "/v1/devices/\(revoked.device)/revocation", json: ["reason": "laptop stolen"],
                token: admin.token)
            #expect(revocation.status == 200)
            let before = try await StoreFootprint.of(server)
            let unknown = Base64URL.encode(SecureRandom.bytes(32))

            let cases: [(String, String?, [UInt8]?, String?, Refusal)] = [
                ("no token", nil, nil, nil, Refusal(401, "unauthorized", ["Authorization: Bearer"])),
                ("an unknown token", unknown, nil, nil, Refusal(401, "unauthorized", ["not known"])),
                (
                    "an expired token", expired.token, nil, nil,
                    Refusal(401, "token-expired", ["\(expired.device)", "expired at"])
                ),
                ("a revoked device", revoked.token, nil, nil, Refusal(403, "device-revoked", ["\(revoked.device)"])),
                (
                    "an array", reporter.token, Self.bytes("[]"), "application/json",
                    Refusal(400, "invalid-json", ["object"])
                ),
                (
                    "a member", reporter.token, Self.bytes(#"{"token":"mine"}"#), "application/json",
                    Refusal(400, "invalid-request", ["token"])
                ),
                (
                    "truncated JSON", reporter.token, Self.bytes("{"), "application/json",
                    Refusal(400, "invalid-json", ["ends too early"])
                ),
                (
                    "an empty JSON body", reporter.token, [], "application/json",
                    Refusal(400, "invalid-json", ["ends too early"])
                ),
                (
                    "text", reporter.token, Self.bytes("rotate please"), "text/plain",
                    Refusal(415, "unsupported-media-type", ["text/plain", "application/json"])
                ),
                (
                    "a body of no stated type", reporter.token, Self.bytes("{}"), nil,
                    Refusal(415, "unsupported-media-type", ["no stated type"])
                ),
                (
                    "100 KiB", reporter.token,
                    Self.bytes(#"{"a":""#) + Array(repeating: 0x61, count: 100 << 10)
                        + Self.bytes(#""}"#), "application/json", Refusal(413, "body-too-large", ["65536"])
                ),
            ]
            for (name, token, body, contentType, refusal) in cases {
                let answer = try await HTTP.send(
                    .POST, server.url + "/v1/token", token: token, body: body, contentType: contentType)
                answer.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, name)
            }
            #expect(try await StoreFootprint.of(server) == before)
            #expect(try await HTTP.get(server.url + "/v1/reference", token: reporter.token).status == 200)
        }
    }
}
