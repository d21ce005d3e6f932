import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Photos of signed sheets over real HTTP on a real database: uploaded after their event, in pieces
/// that survive a cut, stored once and never replaced, read by editors with caching headers; and
/// every photo that is not what its hash or its event says refused with the problem naming it.
@Suite struct PhotoTests {
    /// A reporter enrolled on `server` that has pushed a result naming `photo`.
    static func reporter(naming photo: PhotoReference, on server: TestServer) async throws -> TestDevice {
        var reporter = try await server.enroll(.reporter)
        let event = try reporter.chain.sign(TallyRouteTests.form45(photo: photo), key: reporter.key)
        let pushed = try await server.push([event], as: reporter)
        #expect(TestServer.outcomes(pushed) == ["appended"], "\(pushed.text)")
        return reporter
    }

    static func put(
        _ bytes: some Collection<UInt8>, of photo: SHA256Digest, on server: TestServer, token: String,
        type: String = "image/jpeg", range: String? = nil
    ) async throws -> HTTPAnswer {
        try await HTTP.send(
            .PUT, server.url + "/v1/photos/\(photo.hex)", token: token, body: Array(bytes), contentType: type,
            headers: range.map { [("Content-Range", $0)] } ?? [])
    }

    /// A connection on which a whole JPEG's upload has begun: the head, then the first `sending` bytes.
    static func startUpload(
        _ bytes: [UInt8], sending: Int, on server: TestServer, token: String
    ) throws -> RawConnection {
        let connection = try RawConnection(to: server.url)
        let head = [
            "PUT /v1/photos/\(SHA256Digest.hash(bytes).hex) HTTP/1.1", "Host: 127.0.0.1",
            "Authorization: Bearer \(token)", "Content-Type: image/jpeg", "Content-Length: \(bytes.count)",
        ]
        #expect(connection.send(Array((head.joined(separator: "\r\n") + "\r\n\r\n").utf8) + bytes[0..<sending]))
        return connection
    }

    @Test func aPhotoArrivesInPiecesAfterItsEventAndIsNeverReplaced() async throws {
        try await TestServer.with { server in
            let bytes = TestPhoto.jpeg(size: 300_000, seed: 1)
            let photo = try PhotoReference(of: bytes)
            let reporter = try await Self.reporter(naming: photo, on: server)
            let editor = try await server.enroll(.editor, sendKey: false)
            let path = server.url + "/v1/photos/\(photo.sha256.hex)"

            let first = try await Self.put(
                bytes[0..<100_000], of: photo.sha256, on: server, token: reporter.token,
                range: "bytes 0-99999/300000")
            #expect(first.status == 200, "\(first.text)")
            #expect(first.object["held"] == .integer(100_000) && first.object["complete"] == .bool(false))
            let status = try await HTTP.get(path + "/upload", token: reporter.token)
            #expect(status.object["held"] == .integer(100_000), "\(status.text)")
            let pending = try await HTTP.get(path, token: editor.token)
            pending.expectProblem(404, "not-found", mentioning: ["not arrived yet"], "a photo half uploaded")

            let gap = try await Self.put(
                bytes[200_000...], of: photo.sha256, on: server, token: reporter.token,
                range: "bytes 200000-299999/300000")
            gap.expectProblem(409, "photo-upload-offset", mentioning: ["200000", "100000"], "a piece after a gap")
            #expect(gap.object["held"] == .integer(100_000))

            let rest = try await Self.put(
                bytes[100_000...], of: photo.sha256, on: server, token: reporter.token,
                range: "bytes 100000-299999/300000")
            #expect(rest.status == 201, "\(rest.text)")
            #expect(rest.object["complete"] == .bool(true) && rest.object["type"] == .string("image/jpeg"))

            let read = try await HTTP.get(path, token: editor.token)
            #expect(read.status == 200 && read.body == bytes)
            #expect(read.headers.first(name: "etag") == "\"\(photo.sha256.hex)\"")
            #expect(read.headers.first(name: "cache-control")?.contains("immutable") == true)
            #expect(read.contentType == "image/jpeg")
            let cached = try await HTTP.get(
                path, token: editor.token, headers: [("If-None-Match", "\"\(photo.sha256.hex)\"")])
            #expect(cached.status == 304 && cached.body.isEmpty)

            // A reader that broke off asks for the rest; a range the server does not take gets the whole.
            let tail = try await HTTP.get(path, token: editor.token, headers: [("Range", "bytes=250000-")])
            #expect(tail.status == 206 && tail.body == Array(bytes[250_000...]), "\(tail.status)")
            #expect(tail.headers.first(name: "content-range") == "bytes 250000-299999/300000")
            let middle = try await HTTP.get(path, token: editor.token, headers: [("Range", "bytes=10-19")])
            #expect(middle.status == 206 && middle.body == Array(bytes[10...19]))
            for ignored in ["bytes=300000-", "bytes=-100", "bytes=5-1", "bytes=+5-", "items=0-", "bytes=0-1,5-6"] {
                let whole = try await HTTP.get(path, token: editor.token, headers: [("Range", ignored)])
                #expect(whole.status == 200 && whole.body == bytes, "\(ignored): \(whole.status)")
            }

            let again = try await Self.put(bytes, of: photo.sha256, on: server, token: reporter.token)
            #expect(again.status == 200 && again.object["complete"] == .bool(true), "\(again.text)")
            let footprint = try await StoreFootprint.of(server)
            #expect(footprint.photos == 1 && footprint.photoPieces == 0, "\(footprint)")
            #expect(try await HTTP.get(path, token: editor.token).body == bytes)
        }
    }

    /// The pieces of an upload that stopped are removed once they are older than the limit, those of an
    /// upload still going are kept, and a stored photo is never touched; the device then starts again.
    @Test func abandonedUploadPiecesAreRemovedAfterTheLimit() async throws {
        try await TestServer.with { server in
            let stopped = TestPhoto.jpeg(size: 100_000, seed: 11)
            let going = TestPhoto.jpeg(size: 100_000, seed: 12)
            let whole = TestPhoto.jpeg(size: 20_000, seed: 13)
            var reporter = try await server.enroll(.reporter)
            let events = try [stopped, going, whole].map { bytes in
                try reporter.chain.sign(
                    TallyRouteTests.form45(photo: try PhotoReference(of: bytes)), key: reporter.key)
            }
            _ = try await server.push(events, as: reporter)
            for bytes in [stopped, going] {
                let piece = try await Self.put(
                    bytes.prefix(30_000), of: .hash(bytes), on: server, token: reporter.token,
                    range: "bytes 0-29999/100000")
                #expect(piece.status == 200, "\(piece.text)")
            }
            #expect(try await Self.put(whole, of: .hash(whole), on: server, token: reporter.token).status == 201)
            // Both uploads' first pieces are made two hours old, as if the devices had stopped then; the
            // one still going sends its next piece now. No clock of this machine is waited on.
            _ = try await TestCluster.shared.withConnection(as: .owner, on: server.server.pool) { connection in
                try await connection.execute("UPDATE photo_parts SET received_at = received_at - interval '2 hours'")
            }
            let more = try await Self.put(
                going[30_000..<60_000], of: .hash(going), on: server, token: reporter.token,
                range: "bytes 30000-59999/100000")
            #expect(more.status == 200, "\(more.text)")

            let removed = try await PhotoStore(pool: server.server.pool).removeAbandonedPieces(
                olderThan: .seconds(3_600))
            #expect(removed == [.hash(stopped)])
            let status = { (bytes: [UInt8]) in
                try await HTTP.get(
                    server.url + "/v1/photos/\(SHA256Digest.hash(bytes).hex)/upload", token: reporter.token)
            }
            #expect(try await status(stopped).object["held"] == .integer(0))
            #expect(try await status(going).object["held"] == .integer(60_000))
            #expect(try await status(whole).object["complete"] == .bool(true))
            let again = try await Self.put(stopped, of: .hash(stopped), on: server, token: reporter.token)
            #expect(again.status == 201, "the device starts again from byte 0: \(again.text)")
        }
    }

    @Test func aCutConnectionKeepsWhatArrived() async throws {
        try await TestServer.with { server in
            let bytes = TestPhoto.jpeg(size: 200_000, seed: 2)
            let photo = try PhotoReference(of: bytes)
            let reporter = try await Self.reporter(naming: photo, on: server)
            let connection = try Self.startUpload(bytes, sending: 70_000, on: server, token: reporter.token)
            // The cut comes once the server has kept the first piece, so the upload is surely under way.
            try await waitUntil("the first piece kept") {
                try await HTTP.get(server.url + "/v1/photos/\(photo.sha256.hex)/upload", token: reporter.token)
                    .object["held"]?.integerValue ?? 0 > 0
            }
            _ = consume connection

            var held: Int64 = 0
            try? await waitUntil("the bytes before the cut kept") {
                let status = try await HTTP.get(
                    server.url + "/v1/photos/\(photo.sha256.hex)/upload", token: reporter.token)
                held = status.object["held"]?.integerValue ?? 0
                return held >= 70_000
            }
            #expect(held == 70_000, "the bytes that arrived before the cut are kept")
            let rest = try await Self.put(
                bytes[Int(held)...], of: photo.sha256, on: server, token: reporter.token,
                range: "bytes \(held)-199999/200000")
            #expect(rest.status == 201, "\(rest.text)")
        }
    }

    /// A result written before photos were uploaded names its photo by the hash alone: the photo is
    /// taken all the same, checked by its hash and its first bytes.
    @Test func aPhotoNamedByItsHashAloneIsTaken() async throws {
        try await TestServer.with { server in
            let bytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + TestPhoto.jpeg(size: 20_000, seed: 7)
            let reporter = try await Self.reporter(naming: PhotoReference(sha256: .hash(bytes)), on: server)
            let wrong = try await Self.put(bytes, of: .hash(bytes), on: server, token: reporter.token)
            wrong.expectProblem(422, "photo-mismatch", mentioning: ["type", "image/jpeg", "image/png"], "stated wrong")
            let stored = try await Self.put(
                bytes, of: .hash(bytes), on: server, token: reporter.token, type: "image/png")
            #expect(stored.status == 201, "\(stored.text)")
            #expect(stored.object["type"] == .string("image/png") && stored.object["size"] == .integer(20_008))
        }
    }

    /// An incident names its photo as a result does: taken once the incident is stored, checked against
    /// the size and type the incident states, and read by editors.
    @Test func aPhotoNamedByAnIncidentIsTakenOnceTheIncidentIsStored() async throws {
        try await TestServer.with { server in
            let bytes = TestPhoto.jpeg(size: 120_000, seed: 8)
            let photo = try PhotoReference(of: bytes)
            var reporter = try await server.enroll(.reporter)
            let early = try await Self.put(bytes, of: photo.sha256, on: server, token: reporter.token)
            early.expectProblem(409, "photo-not-named", mentioning: [photo.sha256.hex], "before the incident")

            let incident = Incident(
                kind: .form45Refused, severity: .high, description: "The notice on the door", photo: photo)
            let event = try reporter.chain.sign(
                EventDraft(
                    payload: .incidentObserved(incident), subject: TallyRouteTests.station.code.rawValue,
                    time: ObservedTime("2024-02-08T18:20:00+05:00")!), key: reporter.key)
            let pushed = try await server.push([event], as: reporter)
            #expect(TestServer.outcomes(pushed) == ["appended"], "\(pushed.text)")

            let short = try await Self.put(bytes.prefix(100_000), of: photo.sha256, on: server, token: reporter.token)
            short.expectProblem(
                422, "photo-mismatch", mentioning: ["size", "120000"], "shorter than the incident says")
            let stored = try await Self.put(bytes, of: photo.sha256, on: server, token: reporter.token)
            #expect(stored.status == 201, "\(stored.text)")
            let editor = try await server.enroll(.editor, sendKey: false)
            let read = try await HTTP.get(server.url + "/v1/photos/\(photo.sha256.hex)", token: editor.token)
            #expect(read.status == 200 && read.body == bytes)
        }
    }

    /// The seat's reporting stations by photo: one whose photo arrived, one whose photo is named and not
    /// yet here, one whose report names none; a station that has not reported is in no list.
    @Test func aSeatSaysWhichStationsHaveTheirPhoto() async throws {
        try await TestServer.with(projector: true) { server in
            let stations = ReferenceFixture.stations
            let arrived = TestPhoto.jpeg(size: 40_000, seed: 9)
            let pendingPhoto = try PhotoReference(of: TestPhoto.jpeg(size: 40_000, seed: 10))
            var reporter = try await server.enroll(.reporter)
            let events = try [
                TallyRouteTests.form45(photo: try PhotoReference(of: arrived), at: stations[0]),
                TallyRouteTests.form45(photo: pendingPhoto, at: stations[1]),
                TallyRouteTests.form45(at: stations[2]),
            ].map { try reporter.chain.sign($0, key: reporter.key) }
            let pushed = try await server.push(events, as: reporter)
            #expect(TestServer.outcomes(pushed) == ["appended", "appended", "appended"], "\(pushed.text)")
            let editor = try await server.enroll(.editor, sendKey: false)
            let path = server.url + "/v1/tallies/\(ReferenceFixture.national)/photos"
            let position = try #require(pushed.object["results"]?.arrayValue?.last?["position"]?.integerValue)
            _ = try await TallyRouteTests.waitForTallies(server, token: editor.token, position: position)

            let before = try await HTTP.get(path, token: editor.token)
            #expect(before.status == 200, "\(before.text)")
            let codes = { (answer: HTTPAnswer, list: String) in
                answer.object[list]?.arrayValue?.compactMap(\.stringValue) ?? []
            }
            #expect(before.object["reported"] == .integer(3), "\(before.text)")
            #expect(codes(before, "withPhoto").isEmpty)
            #expect(codes(before, "photoPending") == [stations[0], stations[1]].map(\.code.rawValue).sorted())
            #expect(codes(before, "withoutPhoto") == [stations[2].code.rawValue])

            let stored = try await Self.put(arrived, of: .hash(arrived), on: server, token: reporter.token)
            #expect(stored.status == 201, "\(stored.text)")
            let after = try await HTTP.get(path, token: editor.token)
            #expect(codes(after, "withPhoto") == [stations[0].code.rawValue], "\(after.text)")
            #expect(codes(after, "photoPending") == [stations[1].code.rawValue])
            #expect(codes(after, "withoutPhoto") == [stations[2].code.rawValue])
        }
    }

    @Test func uploadsBeyondTheLimitAreAnsweredWithRetryAfter() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumConcurrentPhotoUploads = 1
        try await TestServer.with(configuration) { server in
            let bytes = TestPhoto.jpeg(size: 100_000, seed: 6)
            let photo = try PhotoReference(of: bytes)
            let reporter = try await Self.reporter(naming: photo, on: server)
            // One upload whose body trickles in holds the only slot: once its first 64 KiB are kept, the
            // server has surely taken it, however busy the machine.
            let slow = try Self.startUpload(bytes, sending: 70_000, on: server, token: reporter.token)
            try await waitUntil("the slow upload's first piece kept") {
                try await HTTP.get(server.url + "/v1/photos/\(photo.sha256.hex)/upload", token: reporter.token)
                    .object["held"]?.integerValue ?? 0 > 0
            }
            var busy: HTTPAnswer?
            for _ in 0..<100 {
                let answer = try await Self.put(bytes, of: photo.sha256, on: server, token: reporter.token)
                if answer.status == 503 {
                    busy = answer
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let refused = try #require(busy, "a second upload was taken while the first held the only slot")
            refused.expectProblem(503, "photo-uploads-busy", mentioning: ["1 photo"], "an upload beyond the limit")
            #expect(refused.headers.first(name: "retry-after") == "10")

            #expect(slow.send(Array(bytes[70_000...])))
            #expect(try await slow.wait(for: "HTTP/1.1 201"), "\(slow.received)")
        }
    }

    @Test func photosThatAreNotWhatTheyClaimAreRefused() async throws {
        try await TestServer.with { server in
            let bytes = TestPhoto.jpeg(size: 50_000, seed: 3)
            let photo = try PhotoReference(of: bytes)
            let reporter = try await Self.reporter(naming: photo, on: server)
            let other = try await server.enroll(.reporter)
            let before = try await StoreFootprint.of(server)
            let unnamed = TestPhoto.jpeg(size: 50_000, seed: 4)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + bytes.dropFirst(8)
            let sha = photo.sha256
            let cases: [(String, HTTPAnswer, Int, String, [String])] = [
                (
                    "no event names it",
                    try await Self.put(unnamed, of: .hash(unnamed), on: server, token: reporter.token), 409,
                    "photo-not-named", [SHA256Digest.hash(unnamed).hex]
                ),
                (
                    "wrong bytes",
                    try await Self.put(
                        TestPhoto.jpeg(size: 50_000, seed: 5), of: sha, on: server, token: reporter.token),
                    422, "photo-mismatch", ["sha256", sha.hex]
                ),
                (
                    "another size than its event's",
                    try await Self.put(bytes.prefix(40_000), of: sha, on: server, token: reporter.token),
                    422, "photo-mismatch", ["size", "50000", "40000"]
                ),
                (
                    "another type than its event's",
                    try await Self.put(png, of: sha, on: server, token: reporter.token, type: "image/png"),
                    422, "photo-mismatch", ["type", "image/jpeg", "image/png"]
                ),
                (
                    "bytes of another type than stated",
                    try await Self.put(
                        [0x47, 0x49, 0x46, 0x38] + bytes.dropFirst(4), of: sha, on: server, token: reporter.token),
                    415, "photo-type-unsupported", ["neither"]
                ),
                (
                    "a stated type that is not a photo's",
                    try await Self.put(bytes, of: sha, on: server, token: reporter.token, type: "image/gif"), 415,
                    "photo-type-unsupported", ["image/gif"]
                ),
                (
                    "too large",
                    try await Self.put(
                        bytes.prefix(1000), of: sha, on: server, token: reporter.token,
                        range: "bytes 0-999/\(PhotoType.maximumBytes + 1)"), 413, "photo-too-large",
                    ["\(PhotoType.maximumBytes + 1)"]
                ),
                (
                    "a range that does not read",
                    try await Self.put(bytes, of: sha, on: server, token: reporter.token, range: "bytes 10-5/50000"),
                    400,
                    "invalid-request", ["Content-Range"]
                ),
                (
                    "another reporter's photo", try await Self.put(bytes, of: sha, on: server, token: other.token), 403,
                    "forbidden", ["\(other.device)"]
                ),
            ]
            for (name, answer, status, kind, mentions) in cases {
                answer.expectProblem(status, kind, mentioning: mentions, name)
            }
            #expect(try await StoreFootprint.of(server) == before)
        }
    }
}
