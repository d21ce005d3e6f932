@testable import FieldSyncModel

extension ProtocolVectors {
    /// The test-only witness keys of `cosignatures.json`: seeds as for the keys of `keys.json`.
    static let witnessKeys = ["witness-1", "witness-2", "witness-3"].map { key($0) }

    /// Witnesses' cosignatures of the signed tree head of `tree.json` (PROTOCOL.md §17.7): the exact bytes each
    /// signs, the head as served with two of them, K-of-N policies and whether each accepts the head, and
    /// cosignatures that MUST be refused.
    var cosignaturesFile: String {
        let subtrees = treeSubtrees
        let size = Int64(stored.count)
        let root = MerkleTree.hash(of: 0..<size) { subtrees[$0]! }
        let head = TreeHead(size: size, root: root, time: Timestamp(rfc3339: Self.headTime)!)
        let serverKey = server.key.publicKey
        let witnesses = Self.witnessKeys
        func cosignature(
            _ witness: Key, of cosigned: TreeHead = head, server: PublicKey = serverKey
        )
            -> [String: JSONValue]
        {
            Cosignature.signed(cosigned, serverKey: server, with: witness.key)
        }
        let keys = witnesses.map { witness -> JSONValue in
            [
                "name": .string(witness.name), "seedLabel": .string("fieldsync-vectors/" + witness.name),
                "privateSeedHex": .string(Hex.encode(witness.seed)),
                "publicKey": .string(witness.key.publicKey.base64URL),
            ]
        }
        let signed = witnesses.prefix(2).map { witness -> JSONValue in
            let object = cosignature(witness)
            var unsigned = object
            unsigned["signature"] = nil
            return [
                "witness": .string(witness.name),
                "signingInput": .string(String(decoding: CanonicalJSON.bytes(.object(unsigned)), as: UTF8.self)),
                "signingHash": .string(SignedObject.signingHash(of: object).hex), "cosignature": .object(object),
            ]
        }
        var served = head.signed(with: server.key)
        served[TreeHead.cosignaturesMember] = .array(witnesses.prefix(2).map { .object(cosignature($0)) })
        func policy(_ trusted: [Key], _ required: Int, _ accepted: Bool) -> JSONValue {
            [
                "trusted": .array(trusted.map { .string($0.name) }), "required": .integer(Int64(required)),
                "accepted": .bool(accepted),
            ]
        }
        let (first, second, third) = (witnesses[0], witnesses[1], witnesses[2])
        let policies = [
            policy([first, second], 2, true), policy([first, second, third], 2, true), policy([third], 1, false),
            policy([first, third], 2, false), policy([first, second, third], 3, false),
        ]
        func broken(_ reason: String, _ object: [String: JSONValue]) -> JSONValue {
            ["reason": .string(reason), "cosignature": .object(object)]
        }
        func changed(_ member: String, _ value: JSONValue) -> [String: JSONValue] {
            var object = cosignature(first)
            object[member] = value
            return object
        }
        var otherSigner = cosignature(first)
        otherSigner["signature"] = cosignature(second)["signature"]
        var extra = cosignature(first)
        extra["note"] = "not signed"
        extra = SignedObject.signed(extra, with: first.key)
        var asHead = head.signed(with: first.key)
        asHead["witness"] = .string(first.key.publicKey.base64URL)
        let brokenCases = [
            broken("size changed after signing", changed("size", .integer(size - 1))),
            broken("root changed after signing", changed("root", .string(SHA256Digest.hash("another log").hex))),
            broken("time changed after signing", changed("time", "2024-02-09T05:30:01.000000Z")),
            broken("signed by witness-2 but naming witness-1", otherSigner),
            broken("an extra member, signed too", extra),
            broken("a tree head signed by a witness key is no cosignature", asHead),
            broken(
                "a valid cosignature of another head (size 26)",
                cosignature(first, of: TreeHead(size: size - 1, root: head.root, time: head.time))),
            broken(
                "a valid cosignature for another server key (witness-2's)",
                cosignature(first, server: second.key.publicKey)),
        ]
        return PrettyJSON.string(
            [
                "note": .string(
                    "Witnesses' cosignatures (PROTOCOL.md §17.7) of the signed tree head of tree.json. Test-only"
                        + " witness keys (seed: SHA-256 of seedLabel). Each cosignature with the exact canonical text"
                        + " signed and its SHA-256; the head as GET /v1/tree/head serves it with two cosignatures;"
                        + " K-of-N policies and whether each accepts that served head; cosignatures that MUST NOT count"
                        + " for the head and server key of this file."),
                "witnesses": .array(keys), "serverFingerprint": .string(serverKey.fingerprint.hex),
                "cosignatures": .array(signed), "served": .object(served), "policies": .array(policies),
                "broken": .array(brokenCases),
            ])
    }
}
