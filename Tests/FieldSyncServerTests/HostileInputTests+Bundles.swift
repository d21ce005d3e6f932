import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Foundation
import NIOHTTP1
import Testing

@testable import FieldSyncServer

extension HostileInputTests {
    /// Bundles cut short, altered, with an event removed from the middle, of a device this server does not
    /// know, signed by another key, after a gap, contradicting a stored event: each refused with the device
    /// and seq at fault, and nothing of any stored.
    @Test func bundlesThatDoNotHoldUpAreRefusedWithTheExactReasonAndStoreNothing() async throws {
        try await TestServer.with { server in
            var author = try await server.enroll(name: "Author")
            let carrier = try await server.enroll(name: "Carrier")
            let events = BundleTests.record(5, by: &author)
            let bundle = try EventBundle(events: events, photos: [])
            let device = author.device.rawValue
            let stranger = SigningKey.generate()
            var strangerChain = DeviceChain(device: stranger.publicKey.deviceID)
            let foreign = try EventBundle(
                events: [try strangerChain.sign(TestDevice.turnoutDraft(), key: stranger)], photos: [])
            var forgerChain = DeviceChain(device: author.device)
            let forged = try EventBundle(
                events: [try forgerChain.sign(TestDevice.turnoutDraft(), key: stranger)], photos: [])
            var later = author
            _ = BundleTests.record(2, by: &later)
            let afterAGap = try EventBundle(events: BundleTests.record(2, by: &later), photos: [])

            let cases: [(String, [UInt8], Refusal)] = [
                ("garbage", Array("hello".utf8), .init(422, "bundle-malformed", ["manifest"])),
                (
                    "cut short", Array(bundle.bytes.dropLast(200)),
                    .init(422, "bundle-truncated", ["cut short", "nothing"])
                ),
                (
                    "one event altered",
                    try BundleTests.edited(bundle, fixManifest: false) {
                        $0[3] = BundleTests.replacing(#""votesCast":12"#, with: #""votesCast":99"#, in: $0[3])
                    },
                    .init(422, "bundle-chain-broken", [device, "seq 4", "seq 3 was altered"])
                ),
                (
                    "the last event altered, the manifest made right",
                    try BundleTests.edited(bundle, fixManifest: true) {
                        $0[5] = BundleTests.replacing(#""votesCast":14"#, with: #""votesCast":99"#, in: $0[5])
                    },
                    .init(422, "bundle-tampered", [device, "seq 5", "altered"])
                ),
                (
                    "one removed from the middle",
                    try BundleTests.edited(bundle, fixManifest: true) { $0.remove(at: 3) },
                    .init(422, "bundle-chain-broken", [device, "seq 3 is missing from the middle"])
                ),
                (
                    "a byte changed in a way the chain cannot see",
                    try BundleTests.edited(bundle, fixManifest: false) { $0.append(Array("{}".utf8)) },
                    .init(422, "bundle-tampered", ["line 7"])
                ),
                (
                    "another server's device", foreign.bytes,
                    .init(422, "bundle-foreign", [stranger.publicKey.deviceID.rawValue, "not a reporter's device"])
                ),
                (
                    "signed by another key", forged.bytes,
                    .init(422, "bundle-events-invalid", [device, "seq 1", "signature"])
                ),
                (
                    "a gap after what the server holds", afterAGap.bytes,
                    .init(422, "bundle-chain-broken", [device, "seq 1…7 are in neither"])
                ),
            ]
            let before = try await StoreFootprint.of(server)
            for (name, bytes, refusal) in cases {
                let answer = try await BundleTests.push(bytes, on: server, by: carrier)
                answer.expectProblem(refusal.status, refusal.kind, mentioning: refusal.mentions, name)
            }
            let asJSON = try await HTTP.send(
                .POST, server.url + "/v1/bundles", token: carrier.token, body: bundle.bytes)
            asJSON.expectProblem(
                415, "unsupported-media-type", mentioning: ["application/vnd.fieldsync.bundle"], "JSON")
            #expect(try await StoreFootprint.of(server) == before)

            // A different seq 1 of the author is stored: the bundle contradicts it, and nothing of it is stored.
            var twin = TestDevice(key: author.key, token: author.token, device: author.device, role: .reporter)
            let other = twin.nextTurnout(votes: 1, minute: 300)
            #expect(TestServer.outcomes(try await server.push([other], as: author)) == ["appended"])
            let stored = try await StoreFootprint.of(server)
            let conflict = try await BundleTests.push(bundle.bytes, on: server, by: carrier)
            conflict.expectProblem(409, "bundle-conflict", mentioning: [device, "seq 1", "nothing"], "a second chain")
            #expect(try await StoreFootprint.of(server).head == stored.head)
        }
    }
}
