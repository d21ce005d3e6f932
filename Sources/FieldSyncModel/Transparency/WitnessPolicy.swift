/// How many witnesses a reader requires before it trusts a tree head (PROTOCOL.md §17.7): at least
/// ``required`` valid cosignatures of the head, each by a different one of the ``trusted`` keys. The
/// keys are the reader's own choice, obtained out of band; whom the server registered does not matter.
public struct WitnessPolicy: Sendable, Equatable {
    /// The witnesses' keys the reader trusts.
    public let trusted: Set<PublicKey>
    /// How many of them must have cosigned.
    public let required: Int

    public init(trusted: Set<PublicKey>, required: Int) {
        self.trusted = trusted
        self.required = required
    }

    /// The trusted witnesses whose valid cosignature of `head`, signed by `serverKey`, is among
    /// `cosignatures` (a served head's `cosignatures` member); each counted once, whatever else is there.
    public func witnesses(of head: TreeHead, serverKey: PublicKey, in cosignatures: [JSONValue]) -> Set<PublicKey> {
        var found: Set<PublicKey> = []
        for item in cosignatures {
            guard let object = item.objectValue, let cosignature = Cosignature(signed: object),
                trusted.contains(cosignature.witness), cosignature.cosigns(head, serverKey: serverKey)
            else { continue }
            found.insert(cosignature.witness)
        }
        return found
    }

    /// Nil when `served` (a head as `GET /v1/tree/head` serves it) is a head signed by `serverKey` with
    /// enough trusted cosignatures; otherwise what is missing, in a sentence.
    public func problem(with served: [String: JSONValue], serverKey: PublicKey) -> String? {
        guard let head = TreeHead(signed: served, by: serverKey) else {
            return "the tree head is not signed by the server key"
        }
        let cosignatures = served[TreeHead.cosignaturesMember]?.arrayValue ?? []
        let count = witnesses(of: head, serverKey: serverKey, in: cosignatures).count
        guard count >= required else {
            return "the tree head of \(head.size) events has \(count) valid cosignature\(count == 1 ? "" : "s") "
                + "from the \(trusted.count) witness key\(trusted.count == 1 ? "" : "s") given; \(required) "
                + "\(required == 1 ? "is" : "are") required"
        }
        return nil
    }
}
