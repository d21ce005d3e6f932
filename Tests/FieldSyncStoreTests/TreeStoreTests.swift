import FieldSyncModel
import FieldSyncStore
import FieldSyncTestSupport
import Testing

/// The Merkle tree the append path keeps, against a root computed naively from the stored log.
@Suite struct TreeStoreTests {
    /// RFC 9162's MTH, recursively, over the chain links of the stored events in position order.
    static func naiveRoot(_ chains: ArraySlice<SHA256Digest>) -> SHA256Digest {
        if chains.isEmpty { return SHA256Digest.hash([UInt8]()) }
        if chains.count == 1 { return SHA256Digest.hash([0] + chains.first!.bytes) }
        var k = 1
        while k * 2 < chains.count { k *= 2 }
        let middle = chains.startIndex + k
        let (left, right) = (naiveRoot(chains[..<middle]), naiveRoot(chains[middle...]))
        return SHA256Digest.hash([1] + left.bytes + right.bytes)
    }

    /// The chain links of every stored event, in position order, as an export holds them.
    static func exportedChains(_ store: EventStore) async throws -> [SHA256Digest] {
        var chains: [SHA256Digest] = []
        for try await event in store.stream() {
            #expect(event.position == Int64(chains.count + 1))
            chains.append(event.chain)
        }
        return chains
    }

    /// Batches of random sizes from several devices, with events sent again and conflicts among them: after
    /// each, the stored tree's root is the naive root of the export, and proofs from the store verify.
    @Test func appendsOfRandomBatchSizesKeepTheTree() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let store = EventStore(pool: pool)
        #expect(try await store.treeRoot(size: 0) == MerkleTree.emptyRoot)
        var random = SplitMix64(seed: 19)
        var devices = (0..<4).map { _ in RecordFactory() }
        var sent: [EventRecord] = []
        var roots: [Int64: SHA256Digest] = [0: MerkleTree.emptyRoot]
        for _ in 0..<30 {
            var batch: [EventRecord] = []
            for _ in 0..<(1 + random.next(below: 40)) {
                let device = random.next(below: devices.count)
                batch.append(devices[device].next())
            }
            // Some events again (duplicates) and one that takes a stored slot with other content (a conflict).
            if !sent.isEmpty {
                batch.append(sent[random.next(below: sent.count)])
                let taken = sent[random.next(below: sent.count)]
                batch.append(
                    RecordFactory.make(
                        deviceID: taken.deviceID, sequence: taken.sequence, previousHash: taken.previousHash,
                        payload: #"{"votesCast": 11}"#))
            }
            sent += batch
            let result = try await store.append(batch)
            let size = result.head.position
            let chains = try await Self.exportedChains(store)
            #expect(Int64(chains.count) == size)
            let root = try await store.treeRoot(size: size)
            #expect(root == Self.naiveRoot(chains[...]))
            roots[size] = root

            let position = Int64(random.next(below: Int(size))) + 1
            let inclusion = try await store.inclusionProof(position: position, size: size)
            #expect(inclusion.verifies(leafHash: MerkleTree.leafHash(chain: chains[Int(position - 1)]), root: root))
            for (earlier, earlierRoot) in roots where earlier >= 1 {
                let consistency = try await store.consistencyProof(from: earlier, to: size)
                #expect(consistency.verifies(oldRoot: earlierRoot, newRoot: root), "\(earlier) to \(size)")
                #expect(try await store.treeRoot(size: earlier) == earlierRoot)
            }
        }
    }

    /// The tree is in the database: a store on a new pool (a restarted server) has the same root and
    /// keeps extending it, by a batch whose nodes go by COPY (more than a push's few).
    @Test func aRestartKeepsTheTree() async throws {
        let first = try await TestCluster.shared.makeMigratedPool()
        var device = RecordFactory()
        _ = try await EventStore(pool: first).append((0..<37).map { _ in device.next() })
        let root = try await EventStore(pool: first).treeRoot(size: 37)
        await first.close()

        let configuration = try await TestCluster.shared.configuration(
            as: .server, database: first.configuration.database)
        let second = PostgresPool(configuration: configuration)
        let store = EventStore(pool: second)
        #expect(try await store.treeRoot(size: 37) == root)
        _ = try await store.append((0..<300).map { _ in device.next() })
        let chains = try await Self.exportedChains(store)
        #expect(try await store.treeRoot(size: 337) == Self.naiveRoot(chains[...]))
        #expect(try await store.treeRoot(size: 200) == Self.naiveRoot(chains[..<200]))
        #expect(try await store.treeRoot(size: 37) == Self.naiveRoot(chains[..<37]))
    }

    /// Two stores on one database (two servers) appending in turn: each finds the tree's edge moved by the
    /// other, and the tree stays the naive tree of the log.
    @Test func twoAppendersKeepOneTree() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool()
        let (first, second) = (EventStore(pool: pool), EventStore(pool: pool))
        var devices = (RecordFactory(), RecordFactory())
        for round in 0..<12 {
            let batch = (0..<(round % 5 + 1)).map { _ in round % 2 == 0 ? devices.0.next() : devices.1.next() }
            _ = try await (round % 3 == 0 ? first : second).append(batch)
            let chains = try await Self.exportedChains(first)
            #expect(try await second.treeRoot(size: Int64(chains.count)) == Self.naiveRoot(chains[...]))
        }
    }

    /// An append whose commit fails, after it noted the tree's edge for its events, leaves no edge behind:
    /// once another server has stored other events up to that size, the root of that size is theirs. Nor
    /// does it move the position the store knows committed.
    @Test func aFailedCommitLeavesNoEdgeBehind() async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .owner)
        // Checked at the commit: a payload of 13 votes fails it, after every statement of the append ran.
        _ = try await pool.withConnection { connection in
            try await connection.executeScript(
                """
                CREATE FUNCTION refuse_thirteen() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload ->> 'votesCast' = '13' THEN RAISE EXCEPTION 'thirteen'; END IF;
                    RETURN NULL;
                END $$;
                CREATE CONSTRAINT TRIGGER refuse_thirteen AFTER INSERT ON events
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_thirteen()
                """)
        }
        let (first, second) = (EventStore(pool: pool), EventStore(pool: pool))
        var devices = (RecordFactory(), RecordFactory())
        _ = try await first.append((0..<3).map { _ in devices.0.next() })
        await #expect(throws: PostgresError.self) {
            _ = try await first.append((0..<4).map { _ in devices.0.next(payload: #"{"votesCast": 13}"#) })
        }
        #expect(first.lastCommittedPosition == 3)
        _ = try await second.append((0..<4).map { _ in devices.1.next() })
        #expect(first.lastCommittedPosition == 3)
        #expect(second.lastCommittedPosition == 7)
        let chains = try await Self.exportedChains(second)
        #expect(chains.count == 7)
        #expect(try await first.treeRoot(size: 7) == Self.naiveRoot(chains[...]))
    }

    /// A receipt's ranges prove its events in the tree of any size that holds them: a batch's own events
    /// (one range, its hashes asked for with the events), and a receipt mixing events stored by earlier
    /// batches with its own (ranges cut by received time, the rest of their hashes asked for after).
    @Test func receiptRangesProveTheirEventsInTheTree() async throws {
        let store = EventStore(pool: try await TestCluster.shared.makeMigratedPool())
        var random = SplitMix64(seed: 45)
        var devices = (RecordFactory(), RecordFactory())
        var batches: [ClosedRange<Int64>] = []
        while batches.last.map({ $0.upperBound < 300 }) ?? true {
            let count = 1 + random.next(below: 9)
            let batch = (0..<count).map { _ in random.next(below: 2) == 0 ? devices.0.next() : devices.1.next() }
            let head = try await store.append(batch).head.position
            batches.append((head - Int64(count) + 1)...head)
        }
        let chains = try await Self.exportedChains(store)
        let size = Int64(chains.count)
        func verify(_ positions: [Int64], size: Int64) async throws {
            let ranges = try await store.receiptRanges(positions: positions, size: size)
            #expect(ranges.flatMap { Array($0.first...$0.last) } == positions)
            let root = try await store.treeRoot(size: size)
            for range in ranges {
                let proof = RangeProof(leaves: (range.first - 1)..<range.last, size: size, path: range.path)
                let leaves = (range.first...range.last).map { MerkleTree.leafHash(chain: chains[Int($0 - 1)]) }
                #expect(proof.verifies(leafHashes: leaves, root: root), "\(positions) in \(size)")
                #expect(range.previous == (range.first == 1 ? GlobalChain.genesis : chains[Int(range.first - 2)]))
            }
        }
        for batch in batches.suffix(12) {
            try await verify(Array(batch), size: size)
            try await verify(Array(batch), size: batch.upperBound)
        }
        // Earlier batches' events sent again, in a receipt with the last batch's: consecutive positions of
        // two batches, received apart.
        let (earlier, later) = (batches[batches.count - 3], batches[batches.count - 2])
        try await verify(Array(earlier) + Array(later) + Array(batches.last!), size: size)
        try await verify([later.upperBound, earlier.lowerBound] + Array(batches.last!), size: size)
    }

    /// A log stored before the tree existed: its migration builds the tree of the events already there.
    @Test func theMigrationBuildsTheTreeOfAnExistingLog() async throws {
        let database = try await TestCluster.shared.makeDatabase().database
        let owner = PostgresPool(
            configuration: try await TestCluster.shared.configuration(as: .owner, database: database))
        let before = Array(Migration.all.prefix { !$0.name.hasSuffix("_merkle_tree.sql") })
        try await Migrator(migrations: before).migrate(owner)
        // Today's append path writes the tree: give it a table to write to, then drop what it wrote, so that
        // only the events are left, as an older server would have left them.
        _ = try await owner.withConnection {
            try await $0.execute("CREATE TABLE tree_nodes (level smallint, index bigint, hash bytea)")
        }
        var device = RecordFactory()
        for size in [1, 5, 64, 3, 100] {
            _ = try await EventStore(pool: owner).append((0..<size).map { _ in device.next() })
        }
        _ = try await owner.withConnection { try await $0.execute("DROP TABLE tree_nodes") }

        try await Migrator().migrate(owner)
        let store = EventStore(pool: owner)
        let chains = try await Self.exportedChains(store)
        #expect(chains.count == 173)
        for size in [1, 2, 6, 70, 128, 173] {
            #expect(try await store.treeRoot(size: Int64(size)) == Self.naiveRoot(chains[..<size]), "size \(size)")
        }
        _ = try await store.append([device.next()])
        #expect(try await store.treeRoot(size: 174) == Self.naiveRoot(try await Self.exportedChains(store)[...]))
    }

    /// Nobody changes the tree: UPDATE, DELETE and TRUNCATE are refused even to the superuser.
    @Test(arguments: ["UPDATE tree_nodes SET hash = hash", "DELETE FROM tree_nodes", "TRUNCATE tree_nodes"])
    func theDatabaseRefusesToChangeTheTree(statement: String) async throws {
        let pool = try await TestCluster.shared.makeMigratedPool(as: .superuser)
        var device = RecordFactory()
        _ = try await EventStore(pool: pool).append([device.next(), device.next()])
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.execute(SQL(unsafeSQL: statement)) }
        }
        #expect(error?.sqlState == "FS001")
        #expect(try await EventStore(pool: pool).treeRoot(size: 2) != MerkleTree.emptyRoot)
    }
}
