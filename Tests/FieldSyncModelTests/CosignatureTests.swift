import Testing

@testable import FieldSyncModel

/// Cosignatures, the K-of-N witness policy and a witness's verdict, without I/O.
@Suite struct CosignatureTests {
    let server = SigningKey.generate()
    let witnesses = (0..<3).map { _ in SigningKey.generate() }
    let head = TreeHead(
        size: 27, root: SHA256Digest.hash("root of 27"), time: Timestamp(rfc3339: "2024-02-09T05:30:00Z")!)

    @Test func aCosignatureVerifiesByItsWitnessKeyAndBindsTheHeadAndTheServerKey() throws {
        let object = Cosignature.signed(head, serverKey: server.publicKey, with: witnesses[0])
        let cosignature = try #require(Cosignature(signed: object))
        #expect(cosignature.witness == witnesses[0].publicKey)
        #expect(cosignature.cosigns(head, serverKey: server.publicKey))
        #expect(!cosignature.cosigns(head, serverKey: witnesses[1].publicKey))
        #expect(
            !cosignature.cosigns(
                TreeHead(size: 27, root: head.root, time: .init(seconds: 0)), serverKey: server.publicKey))

        // Any change to a signed member, an extra member, another type or another signer: not a cosignature.
        for (member, value) in [
            ("size", JSONValue.integer(28)), ("root", .string(SHA256Digest.hash("x").hex)),
            ("time", "2024-02-09T05:30:01.000000Z"), ("server", .string(witnesses[1].publicKey.fingerprint.hex)),
            ("witness", .string(witnesses[1].publicKey.base64URL)), ("type", .string(TreeHead.type)),
            ("note", "extra"),
        ] {
            var changed = object
            changed[member] = value
            #expect(Cosignature(signed: changed) == nil, "\(member)")
        }
        // A tree head's signature is not a cosignature's, and the other way round: the types differ.
        let signedHead = head.signed(with: witnesses[0])
        #expect(Cosignature(signed: signedHead) == nil)
        #expect(TreeHead(signed: object, by: witnesses[0].publicKey) == nil)
    }

    @Test func aServedHeadVerifiesWithItsCosignaturesBesideIt() {
        var served = head.signed(with: server)
        served[TreeHead.cosignaturesMember] = .array([
            .object(Cosignature.signed(head, serverKey: server.publicKey, with: witnesses[0]))
        ])
        #expect(TreeHead(signed: served, by: server.publicKey) == head)
    }

    @Test func kOfNCountsDifferentTrustedWitnessesWithValidCosignaturesOfThisHead() {
        func served(_ cosigners: [SigningKey], head cosigned: TreeHead? = nil) -> [String: JSONValue] {
            var object = head.signed(with: server)
            object[TreeHead.cosignaturesMember] = .array(
                cosigners.map { .object(Cosignature.signed(cosigned ?? head, serverKey: server.publicKey, with: $0)) })
            return object
        }
        let trusted = Set(witnesses.prefix(2).map(\.publicKey))
        let two = WitnessPolicy(trusted: trusted, required: 2)
        #expect(two.problem(with: served(Array(witnesses.prefix(2))), serverKey: server.publicKey) == nil)
        // The same witness twice counts once; an untrusted one not at all.
        let once = two.problem(with: served([witnesses[0], witnesses[0], witnesses[2]]), serverKey: server.publicKey)
        #expect(once?.contains("has 1 valid cosignature from the 2 witness keys given; 2 are required") == true)
        // Cosignatures of another head do not count for this one.
        let other = TreeHead(size: 26, root: head.root, time: head.time)
        #expect(two.problem(with: served(Array(witnesses.prefix(2)), head: other), serverKey: server.publicKey) != nil)
        // A head not signed by the server key is refused whatever its cosignatures.
        #expect(
            two.problem(with: served(Array(witnesses.prefix(2))), serverKey: witnesses[2].publicKey)
                == "the tree head is not signed by the server key")
        #expect(
            WitnessPolicy(trusted: trusted, required: 1).problem(
                with: served([witnesses[1]]), serverKey: server.publicKey) == nil)
        #expect(
            WitnessPolicy(trusted: trusted, required: 1).problem(with: served([]), serverKey: server.publicKey) != nil)
    }

    @Test func aWitnessCosignsOnlyALogThatGrew() {
        var frontier = TreeFrontier()
        var roots: [SHA256Digest] = [MerkleTree.emptyRoot]
        var subtrees: [Subtree: SHA256Digest] = [:]
        for leaf in 0..<9 {
            for (subtree, hash) in frontier.append(leafHash: SHA256Digest.hash("leaf \(leaf)")) {
                subtrees[subtree] = hash
            }
            roots.append(frontier.root)
        }
        func head(_ size: Int64, _ root: SHA256Digest? = nil) -> TreeHead {
            TreeHead(size: size, root: root ?? roots[Int(size)], time: .init(seconds: size))
        }
        let proof = ConsistencyProof(from: 4, to: 9) { subtrees[$0]! }
        #expect(WitnessVerdict(last: nil, newest: head(9), proof: nil) == .cosign)
        #expect(WitnessVerdict(last: head(4), newest: head(9), proof: proof) == .cosign)
        #expect(WitnessVerdict(last: head(9), newest: head(9), proof: nil) == .cosign)
        #expect(WitnessVerdict(last: head(0), newest: head(9), proof: nil) == .cosign)
        #expect(WitnessVerdict(last: head(9), newest: head(9, SHA256Digest.hash("fork")), proof: nil) == .splitView)
        #expect(WitnessVerdict(last: head(9), newest: head(4), proof: nil) == .shrunk)
        #expect(WitnessVerdict(last: head(4), newest: head(9), proof: nil) == .inconsistent)
        #expect(
            WitnessVerdict(last: head(4, SHA256Digest.hash("fork")), newest: head(9), proof: proof) == .inconsistent)
        #expect(WitnessVerdict(last: head(5), newest: head(9), proof: proof) == .inconsistent)
    }
}
