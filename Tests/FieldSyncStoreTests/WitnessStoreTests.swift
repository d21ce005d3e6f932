import FieldSyncModel
import FieldSyncTestSupport
import Testing

@testable import FieldSyncStore

/// The witnesses, their cosignatures and the split views are evidence: once kept, nobody changes them.
@Suite struct WitnessStoreTests {
    @Test(arguments: [
        "UPDATE witnesses SET name = 'someone else'", "DELETE FROM witnesses", "TRUNCATE witnesses CASCADE",
        "UPDATE tree_cosignatures SET document = '{}'", "DELETE FROM tree_cosignatures", "TRUNCATE tree_cosignatures",
        "UPDATE split_views SET first_document = '{}'", "DELETE FROM split_views", "TRUNCATE split_views",
    ])
    func theDatabaseRefusesToChangeTheEvidence(statement: String) async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .superuser)
        let store = EventStore(pool: pool)
        var device = RecordFactory()
        _ = try await store.append([device.next(), device.next()])
        let witness = SigningKey.generate().publicKey
        try await store.addWitness(name: "Observer group", key: witness)
        let head = TreeHead(size: 2, root: try await store.treeRoot(size: 2), time: .now())
        _ = try await store.keep(StoredTreeHead(head: head, document: "{}"))
        #expect(try await store.keepCosignature(size: 2, witness: witness, document: "{}"))
        let other = StoredTreeHead(
            head: TreeHead(size: 2, root: SHA256Digest.hash("x"), time: head.time), document: "{}")
        #expect(try await store.keepSplitView(StoredTreeHead(head: head, document: "{}"), other))

        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.execute(SQL(unsafeSQL: statement)) }
        }
        #expect(error?.sqlState == "FS001", "\(statement)")
        #expect(try await store.witnesses().count == 1)
        #expect(try await store.cosignatures(of: [2])[2] == ["{}"])
        #expect(try await store.splitViews().count == 1)
        await pool.close()
    }
}
