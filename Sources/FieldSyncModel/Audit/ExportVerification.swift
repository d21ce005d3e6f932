/// Verifies an export file line by line, as PROTOCOL.md §12 says, and stops at the first break.
///
/// Each event line goes through ``LogVerifier`` (position, global chain, signature by the key enrolled in
/// the log itself, device chain, validation against the reference data in force); the last line must be
/// the server's signed head, which must pin the last event. With a pinned server key, the log's own
/// `fieldsync.server.identified.v1` must announce exactly that key.
///
/// Feed it lines in file order with ``read(_:)`` until it returns a break, then call ``finish()``.
public struct ExportVerification: Sendable {
    public private(set) var verifier: LogVerifier
    /// The key an auditor obtained out of band; nil to trust the key the log announces.
    public let pinnedServerKey: PublicKey?
    /// Lines read so far.
    public private(set) var lines = 0
    /// Event lines read so far.
    public private(set) var events = 0
    /// The signed head, once read.
    public private(set) var head: SignedChainHead?
    /// The size of the Merkle tree (PROTOCOL.md §17) whose root ``treeRoot`` is, for checking a signed tree
    /// head against the file; nil for none.
    public var treeSize: Int64? {
        didSet { treeRoot = treeSize == 0 ? MerkleTree.emptyRoot : nil }
    }
    /// The root of the tree of the first ``treeSize`` events, once they are verified.
    public private(set) var treeRoot: SHA256Digest?
    /// A tree head an earlier verification of this log checked (`audit verify --since`; PROTOCOL.md §12,
    /// "Since a verified tree head"): the signatures of its first `size` events are not checked again,
    /// everything else about them is, and the Merkle tree of their chain links must have its root, or the
    /// log breaks at its last event. Setting it sets ``treeSize`` to its size.
    public var trusted: TreeHead? {
        didSet { treeSize = trusted?.size }
    }
    private var tree = TreeFrontier()

    public init(pinnedServerKey: PublicKey? = nil) {
        self.verifier = LogVerifier()
        self.pinnedServerKey = pinnedServerKey
    }

    /// Reads the bytes of the next line; the break if the log breaks there.
    public mutating func read(line bytes: some Collection<UInt8>) -> LogBreak? {
        read(ExportLine(bytes: bytes))
    }

    /// Checks the next line, already read; the break if the log breaks there. `checkedKey`: a key the
    /// line's signature was already found valid by (``ExportLine/signatureCheck(in:)``).
    public mutating func read(_ line: ExportLine, checkedKey: PublicKey? = nil) -> LogBreak? {
        lines += 1
        if head != nil {
            let problem = FieldError(
                field: "", code: .notAllowed, problem: "a line follows the signed chain head",
                allowed: "the signed chain head as the last line")
            return breakHere(line, [problem])
        }
        switch line {
        case .unreadable(let position, let id, let problems):
            return LogBreak(line: lines, position: position, event: id, problems: problems)
        case .head(let signed):
            head = signed
            let problems = verifier.verify(signed)
            return problems.isEmpty
                ? nil : LogBreak(line: lines, position: signed.position, event: nil, problems: problems)
        case .event(let stored):
            events += 1
            let trustedKey =
                stored.position <= trusted?.size ?? 0
                ? EventValidator.signingKey(of: stored.event, in: verifier.reference) : nil
            var problems = verifier.verify(stored, checkedKey: checkedKey ?? trustedKey)
            if let pinned = pinnedServerKey, case .serverIdentified(let identity) = stored.event.payload,
                identity.publicKey != pinned
            {
                problems.insert(
                    FieldError(
                        field: "data.publicKey", code: .badSignature,
                        problem: "the log announces the server key \(identity.publicKey), not the pinned key",
                        allowed: pinned.base64URL),
                    at: 0)
            }
            guard problems.isEmpty else { return breakHere(line, problems) }
            if let treeSize, tree.size < treeSize {
                tree.append(leafHash: MerkleTree.leafHash(chain: stored.chain))
                if tree.size == treeSize { treeRoot = tree.root }
            }
            if let trusted, trusted.size == stored.position, let treeRoot, treeRoot != trusted.root {
                return breakHere(
                    line,
                    [
                        FieldError(
                            field: "chain", code: .chainBroken,
                            problem: "the first \(trusted.size) events make the tree root \(treeRoot.hex), not the "
                                + "root of the verified tree head: the log was rewritten before that head",
                            allowed: trusted.root.hex)
                    ])
            }
            return nil
        }
    }

    /// After the last line: the break if the file does not end with the signed head.
    public func finish() -> LogBreak? {
        guard head == nil else { return nil }
        let problem =
            lines == 0
            ? "the file is empty"
            : "the file ends after position \(verifier.position) without the server's signed chain head"
        return LogBreak(
            line: lines + 1, position: nil, event: nil,
            problems: [
                FieldError(
                    field: "", code: .missingMember, problem: problem,
                    allowed: "a last line with the signed chain head (\(SignedChainHead.type)), as fieldsync audit "
                        + "export writes it; run the export again to complete the file")
            ])
    }

    /// What the file holds, once verified.
    public var summary: VerifiedLog {
        var log = VerifiedLog(
            events: events, devices: verifier.chains.keys.filter { !$0.isServer }.count,
            lastPosition: verifier.position, chain: verifier.chain, headTime: head?.time,
            serverKey: verifier.reference.server?.publicKey)
        log.treeRoot = treeRoot
        return log
    }

    private func breakHere(_ line: ExportLine, _ problems: [FieldError]) -> LogBreak {
        switch line {
        case .event(let stored):
            LogBreak(line: lines, position: stored.position, event: stored.event.id, problems: problems)
        case .head(let head):
            LogBreak(line: lines, position: head.position, event: nil, problems: problems)
        case .unreadable(let position, let id, _):
            LogBreak(line: lines, position: position, event: id, problems: problems)
        }
    }
}
