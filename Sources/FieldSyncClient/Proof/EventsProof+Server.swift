import FieldSyncModel

extension EventsProof {
    /// What `status --prove` found and what it cost.
    public struct Outcome: Sendable {
        /// The check, when it got as far as a signed current head.
        public var proof: EventsProof?
        /// What does not hold; nil when everything does.
        public var failure: Failure?
        /// The seqs this device holds receipts for (1 … receipted seq).
        public var receipted: Int64
        /// The bytes of the server's answers.
        public var bytes: Int
        /// The requests made.
        public var requests: Int
        /// How long it took, fetching and checking.
        public var duration: Duration

        /// The exit code: ``ExitStatus/untrustedServer`` for a head not signed by the pinned key,
        /// ``ExitStatus/finding`` for a proof that does not hold.
        public var exitStatus: ExitStatus {
            switch failure {
            case nil: .ok
            case .untrusted: .untrustedServer
            case .finding: .finding
            }
        }

        /// The verdict in one or two lines.
        public var verdict: String {
            let cost =
                "(\(Self.kilobytes(bytes)) in \(requests) request\(requests == 1 ? "" : "s"), \(microseconds / 1000) ms)"
            if let failure { return "NOT PROVEN: \(failure) \(cost)" }
            let witnessed = proof?.witnessed.map { ", cosigned by at least \($0) of the witnesses given" } ?? ""
            guard let proof, let last = proof.receiptHeads.last else {
                return "nothing to prove yet: no receipt with a proof is kept (run fieldsync sync)"
                    + (proof.map { "; the server's current head of \($0.current.size) events is signed" + witnessed }
                        ?? "")
            }
            let proven = proof.provenSeqs.count
            var text =
                "all \(proven) of your events with receipt proofs are in the log at size \(proof.current.size);"
                + (last.size == proof.current.size
                    ? " the log is the one your last receipt signed (size \(last.size))"
                    : " the log only grew since your last receipt (size \(last.size))") + witnessed + " \(cost)"
            let unproven = receipted - Int64(proof.provenSeqs.filter { $0 <= receipted }.count)
            if unproven > 0 {
                text +=
                    "; \(unproven) earlier receipted event\(unproven == 1 ? " has" : "s have") no proof (receipts"
                    + " from a server that sent none)"
            }
            return text
        }

        public var jsonValue: JSONValue {
            var object: [String: JSONValue] = [
                "proven": .bool(failure == nil), "bytes": .integer(Int64(bytes)), "requests": .integer(Int64(requests)),
                "microseconds": .integer(microseconds),
                "receiptedSeq": .integer(receipted), "verdict": .string(verdict),
            ]
            if let proof {
                object["size"] = .integer(proof.current.size)
                object["root"] = .string(proof.current.root.hex)
                object["events"] = .integer(Int64(proof.provenSeqs.count))
                object["receiptHeads"] = .array(proof.receiptHeads.map { .integer($0.size) })
            }
            if let failure { object["failure"] = .string(failure.description) }
            return .object(object)
        }

        var microseconds: Int64 { Int64(duration / .microseconds(1)) }

        static func kilobytes(_ bytes: Int) -> String {
            bytes < 10_000 ? "\(bytes) bytes" : "\(bytes / 1000) kB"
        }
    }

    /// Checks this device's kept receipt proofs against the server's current head: fetches the head (which
    /// `witnesses`, when given, must have cosigned) and a consistency proof from each receipt head's size. A
    /// server that cannot be reached throws.
    public static func check(
        api: ServerAPI, home: ClientHome, serverKey: PublicKey, log: LocalLog, receipted: Int64,
        witnesses: WitnessPolicy? = nil
    ) async throws -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let kept = try ReceiptBook.keptProofs(home: home)
        var outcome = Outcome(proof: nil, failure: nil, receipted: receipted, bytes: 0, requests: 0, duration: .zero)
        guard !kept.isEmpty || witnesses != nil else { return outcome }
        let (head, headBytes) = try await api.treeHead()
        outcome.bytes += headBytes
        outcome.requests += 1
        do {
            let proof = try EventsProof(
                kept: kept, event: { log.entry(seq: $0)?.event }, serverKey: serverKey, currentHead: head,
                witnesses: witnesses)
            outcome.proof = proof
            var proofs = [Int64: ConsistencyProof]()
            for size in proof.consistencySizes {
                let (consistency, bytes) = try await api.consistencyProof(from: size, to: proof.current.size)
                proofs[size] = consistency
                outcome.bytes += bytes
                outcome.requests += 1
            }
            try proof.verifyGrowth(proofs)
        } catch let failure as Failure {
            outcome.failure = failure
        }
        outcome.duration = clock.now - started
        return outcome
    }
}
