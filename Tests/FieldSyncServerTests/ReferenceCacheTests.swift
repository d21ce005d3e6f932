import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Testing

@testable import FieldSyncServer

/// The server's reference data, read from the log a page at a time: the same as the log's reference events
/// folded one by one in position order, whatever the page size.
@Suite struct ReferenceCacheTests {
    @Test func pagesOfAnySizeGiveTheReferenceEventsFoldedInOrder() async throws {
        try await TestServer.with { server in
            for number in 0..<3 { _ = try await server.enroll(.reporter, name: "Reporter \(number)") }
            _ = try await server.enroll(.editor, name: "An Editor")
            let store = EventStore(pool: server.server.pool)
            var expected = ReferenceSnapshot()
            for record in try await store.events(after: 0, limit: 10_000)
            where ReferenceCache.types.contains(record.record.type) {
                expected.apply(try record.storedEvent())
            }
            #expect(expected.data.devices.count >= 4, "the devices enrolled")
            #expect(expected.position > expected.publishedPosition, "enrollments after the published definitions")
            for pageSize in [1, 4, 2_000] {
                let snapshot = try await ReferenceCache(store: store, pageSize: pageSize).refresh()
                #expect(snapshot.data == expected.data, "page size \(pageSize)")
                #expect(snapshot.position == expected.position, "page size \(pageSize)")
                #expect(snapshot.identityPosition == expected.identityPosition, "page size \(pageSize)")
                #expect(snapshot.publishedPosition == expected.publishedPosition, "page size \(pageSize)")
                #expect(try await Self.lines(snapshot) == Self.lines(expected), "page size \(pageSize)")
            }
        }
    }

    /// What `GET /v1/reference` serves of `snapshot`, uncompressed.
    private static func lines(_ snapshot: ReferenceSnapshot) async throws -> [UInt8] {
        var collected = PublishedLinesTests.Collected()
        try await snapshot.publishedLines.write(to: &collected, gzip: false)
        return collected.bytes
    }
}
