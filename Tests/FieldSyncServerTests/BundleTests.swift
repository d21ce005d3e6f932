import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

@testable import FieldSyncServer

/// Bundles over real HTTP on a real database: carried by a colleague, by an editor, twice, beside the
/// author's own push; refused whole, storing nothing, when their author is revoked or a device chain
/// does not hold; their photos stored after their events.
@Suite struct BundleTests {
    /// `count` turnout counts of `author`, signed and chained, not pushed.
    static func record(_ count: Int, by author: inout TestDevice) -> [Event] {
        (0..<count).map { author.nextTurnout(votes: 10 + $0, minute: $0) }
    }

    static func push(_ bytes: [UInt8], on server: TestServer, by carrier: TestDevice) async throws -> HTTPAnswer {
        try await HTTP.send(
            .POST, server.url + "/v1/bundles", token: carrier.token, body: bytes,
            contentType: "application/vnd.fieldsync.bundle")
    }

    static func head(of device: DeviceID, on server: TestServer) async throws -> Int64 {
        try await server.server.events.deviceHead(device.rawValue)?.seq ?? 0
    }

    @Test func aColleagueCarriesAReportersDayAsTheReportersExactlyOnce() async throws {
        try await TestServer.with { server in
            var author = try await server.enroll(name: "Offline Reporter")
            let colleague = try await server.enroll(name: "Colleague With A Connection")
            let photo = try BundlePhoto(bytes: TestPhoto.jpeg(size: 30_000, seed: 7))
            var events = Self.record(3, by: &author)
            events.append(try author.chain.sign(TallyRouteTests.form45(photo: photo.reference), key: author.key))
            let bundle = try EventBundle(events: events, photos: [photo])

            let carried = try await Self.push(bundle.bytes, on: server, by: colleague)
            #expect(carried.status == 200, "\(carried.text)")
            #expect(carried.object["appended"] == .integer(4) && carried.object["duplicates"] == .integer(0))
            #expect(carried.object["photosStored"] == .integer(1), "\(carried.text)")
            #expect(try await Self.head(of: author.device, on: server) == 4)
            #expect(try await Self.head(of: colleague.device, on: server) == 0, "the carrier gains nothing")
            let stored = try await server.server.events.events(ids: events.map(\.id.description))
            #expect(stored.count == 4 && stored.allSatisfy { $0.record.deviceID == author.device.rawValue })
            #expect(try await server.server.photos.photo(photo.sha256)?.bytes == photo.bytes)

            // Carried twice, and pushed by its author too: duplicates, nothing stored again.
            let before = try await StoreFootprint.of(server)
            let again = try await Self.push(bundle.bytes, on: server, by: colleague)
            #expect(again.status == 200, "\(again.text)")
            #expect(again.object["appended"] == .integer(0) && again.object["duplicates"] == .integer(4))
            #expect(again.object["photosHeld"] == .integer(1), "\(again.text)")
            let own = try await server.push(events, as: author)
            #expect(TestServer.outcomes(own) == Array(repeating: "duplicate", count: 4), "\(own.text)")
            #expect(try await StoreFootprint.of(server) == before)
        }
    }

    @Test func anEditorMayCarryABundleAndItInterleavesWithTheAuthorsOwnPushes() async throws {
        try await TestServer.with { server in
            var author = try await server.enroll(name: "Reporter")
            let editor = try await server.enroll(.editor, name: "Editor")
            let day = Self.record(6, by: &author)
            // The author reached the server with its first two events, then lost the network.
            #expect(
                TestServer.outcomes(try await server.push(Array(day.prefix(2)), as: author)) == [
                    "appended", "appended",
                ])
            let bundle = try EventBundle(events: day, photos: [])
            let carried = try await Self.push(bundle.bytes, on: server, by: editor)
            #expect(carried.status == 200, "\(carried.text)")
            #expect(carried.object["appended"] == .integer(4) && carried.object["duplicates"] == .integer(2))
            // The author's next push of what it holds learns every one is stored.
            let own = try await server.push(day, as: author)
            #expect(TestServer.outcomes(own) == Array(repeating: "duplicate", count: 6), "\(own.text)")
            #expect(try await Self.head(of: author.device, on: server) == 6)
        }
    }

    @Test func aRevokedAuthorsEventsAreRefusedWholeWhoeverCarriesThem() async throws {
        try await TestServer.with { server in
            var author = try await server.enroll(name: "Revoked Reporter")
            var other = try await server.enroll(name: "Second Author")
            let colleague = try await server.enroll(name: "Colleague")
            let admin = try await server.enroll(.admin, name: "Admin")
            let bundle = try EventBundle(
                events: Self.record(2, by: &author) + Self.record(2, by: &other), photos: [])
            let revoked = try await HTTP.post(
                server.url + "/v1/devices/\(author.device)/revocation", json: ["reason": "laptop stolen"],
                token: admin.token)
            #expect(revoked.status == 201 || revoked.status == 200, "\(revoked.text)")
            let before = try await StoreFootprint.of(server)
            let refused = try await Self.push(bundle.bytes, on: server, by: colleague)
            refused.expectProblem(
                403, "device-revoked", mentioning: [author.device.rawValue, "laptop stolen", "nothing"],
                "a revoked author's bundle")
            #expect(try await StoreFootprint.of(server) == before, "not even the other author's events")

            // A revoked carrier is refused as any call of its credentials is.
            let carrierRevoked = try await HTTP.post(
                server.url + "/v1/devices/\(colleague.device)/revocation", json: ["reason": "left"], token: admin.token)
            #expect(carrierRevoked.status == 201 || carrierRevoked.status == 200)
            var fresh = try await server.enroll(name: "Fresh Author")
            let good = try EventBundle(events: Self.record(1, by: &fresh), photos: [])
            let byRevoked = try await Self.push(good.bytes, on: server, by: colleague)
            #expect(byRevoked.status == 401 || byRevoked.status == 403, "\(byRevoked.text)")
            #expect(try await Self.head(of: fresh.device, on: server) == 0)
        }
    }

    /// The bytes of `bundle` with its lines changed by `edit` (the manifest is line 0), the manifest's
    /// content size and hash made right again when `fixManifest`: what a carrier who knows the format can do.
    static func edited(
        _ bundle: EventBundle, fixManifest: Bool, _ edit: (inout [[UInt8]]) -> Void
    ) throws -> [UInt8] {
        var lines = bundle.bytes.split(separator: 0x0a, omittingEmptySubsequences: false).map(Array.init)
        lines.removeLast()
        edit(&lines)
        let content = lines.dropFirst().flatMap { $0 + [UInt8(0x0a)] }
        if fixManifest {
            var manifest = try JSONParser.parse(lines[0]).objectValue!
            manifest["contentBytes"] = .integer(Int64(content.count))
            manifest["contentSha256"] = .string(SHA256Digest.hash(content).hex)
            lines[0] = CanonicalJSON.bytes(.object(manifest))
        }
        return lines[0] + [0x0a] + content
    }

    /// Replaces the first `from` in a line by `to`.
    static func replacing(_ from: String, with to: String, in line: [UInt8]) -> [UInt8] {
        Array(String(decoding: line, as: UTF8.self).replacing(from, with: to, maxReplacements: 1).utf8)
    }
}
