import Foundation
import Testing

@testable import FieldSyncModel

/// Checks every vector in `Schema/vectors/`, read from the files, and that the files are exactly
/// what ``ProtocolVectors`` generates.
@Suite struct VectorTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schema/vectors")

    static func read(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static func json(_ name: String) throws -> JSONValue {
        try JSONParser.parse(try read(name))
    }

    static let vectors = ProtocolVectors()

    @Test func filesAreWhatTheGeneratorMakes() throws {
        let files = Self.vectors.files
        if ProcessInfo.processInfo.environment["FIELDSYNC_WRITE_VECTORS"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            for (name, content) in files {
                try content.write(to: Self.folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }
        for (name, content) in files.sorted(by: { $0.key < $1.key }) {
            let onDisk = try Self.read(name)
            #expect(onDisk == content, "\(name) differs from the generator's output")
        }
    }

    static func keys() throws -> [String: (seed: [UInt8], publicKey: PublicKey)] {
        var keys = [String: (seed: [UInt8], publicKey: PublicKey)]()
        for entry in try json("keys.json")["keys"]!.arrayValue! {
            let key = try SigningKey(rawRepresentation: Hex.decode(entry["privateSeedHex"]!.stringValue!)!)
            keys[entry["name"]!.stringValue!] = (key.rawRepresentation, key.publicKey)
        }
        return keys
    }

    @Test func keysComeFromTheirSeeds() throws {
        for entry in try Self.json("keys.json")["keys"]!.arrayValue! {
            let label = entry["seedLabel"]!.stringValue!
            let seed = SHA256Digest.hash(label).bytes
            #expect(Hex.encode(seed) == entry["privateSeedHex"]!.stringValue!)
            let key = try SigningKey(rawRepresentation: seed)
            #expect(key.publicKey.base64URL == entry["publicKey"]!.stringValue!)
            #expect(Hex.encode(key.publicKey.rawRepresentation) == entry["publicKeyHex"]!.stringValue!)
            #expect(key.publicKey.deviceID.rawValue == entry["deviceOfKey"]!.stringValue!)
        }
    }

    @Test func canonicalCases() throws {
        for item in try Self.json("canonical.json")["cases"]!.arrayValue! {
            let input = item["input"]!.stringValue!
            let canonical = item["canonical"]!.stringValue!
            #expect(CanonicalJSON.string(try JSONParser.parse(input)) == canonical, "\(item["name"]!)")
            #expect(CanonicalJSON.string(try JSONParser.parse(canonical)) == canonical)
        }
    }

    @Test func eventsHashAndVerify() throws {
        let keys = try Self.keys()
        let events = try Self.json("events.json")["events"]!.arrayValue!
        #expect(Set(events.map { $0["event"]!["type"]!.stringValue! }) == Set(EventType.allCases.map(\.rawValue)))
        for item in events {
            let name = item["name"]!.stringValue!
            let event = try Event(json: item["event"]!)
            let submitted = try Event(jsonBytes: Array(item["submitted"]!.stringValue!.utf8))
            #expect(submitted == event, "\(name)")
            #expect(String(decoding: event.hashedBytes, as: UTF8.self) == item["hashed"]!.stringValue!, "\(name)")
            #expect(SHA256Digest.hash(item["hashed"]!.stringValue!).hex == item["hash"]!.stringValue!, "\(name)")
            #expect(event.hash.hex == item["hash"]!.stringValue!, "\(name)")
            #expect(event.isSignatureValid(by: keys[item["signer"]!.stringValue!]!.publicKey), "\(name)")
            #expect(CanonicalJSON.string(event.jsonValue) == item["submitted"]!.stringValue!)
        }
    }

    @Test func exportAndHeadVerify() throws {
        var verifier = LogVerifier()
        let lines = try Self.read("export.ndjson").split(separator: "\n")
        for (offset, line) in lines.enumerated() {
            let errors = verifier.verify(line: Array(line.utf8))
            #expect(errors.isEmpty, "line \(offset + 1): \(errors)")
        }
        #expect(verifier.position == Int64(lines.count))
        #expect(verifier.verifyHead(try Self.json("head.json")).isEmpty)
        let events = lines.map { try! StoredEvent(line: Array($0.utf8)) }
        #expect(events.map { $0.line } == lines.map(String.init))
    }

    /// The reference data and the events of the first `lines` lines of export.ndjson.
    static func reference(lines count: Int) throws -> (validator: EventValidator, events: [EventID: Event]) {
        var verifier = LogVerifier()
        var events = [EventID: Event]()
        for line in try read("export.ndjson").split(separator: "\n").prefix(count) {
            #expect(verifier.verify(line: Array(line.utf8)).isEmpty)
            let event = try StoredEvent(line: Array(line.utf8)).event
            events[event.id] = event
        }
        return (EventValidator(reference: verifier.reference), events)
    }

    /// Every problem of one submitted event, as §10 finds them: its shape, then (if it has none) the rules
    /// against the reference data, a correction against the event it names, and its signature.
    static func problems(
        of text: String, validator: EventValidator, events: [EventID: Event]
    ) -> [FieldError] {
        var parser = EventParser()
        do {
            let event = try parser.parse(Array(text.utf8))
            var target = CorrectionTarget.notLookedUp
            if case .reportCorrected(let correction) = event.payload {
                target = events[correction.corrects].map { .found($0) } ?? .notFound
            }
            var errors = validator.validate(event, correcting: target)
            if let problem = validator.verifySignature(of: event) { errors.append(problem) }
            return errors
        } catch {
            return error.errors
        }
    }

    @Test func brokenVectorsFailForTheirReason() throws {
        let file = try Self.json("broken.json")
        let cases = file["cases"]!.arrayValue!
        #expect(cases.count >= 20)
        var valid = LogVerifier()
        for line in try Self.read("export.ndjson").split(separator: "\n") { _ = valid.verify(line: Array(line.utf8)) }
        let (validator, events) = try Self.reference(lines: Int(file["referenceLines"]!.integerValue!))
        for item in cases {
            let name = item["name"]!.stringValue!
            let expect = item["expect"]!
            let wanted = "\(expect["field"]!.stringValue!) \(expect["code"]!.stringValue!)"
            switch item["kind"]!.stringValue! {
            case "event":
                let errors = Self.problems(of: item["input"]!.stringValue!, validator: validator, events: events)
                #expect(errors.summary == [wanted], "\(name): \(errors.summary)")
            case "export":
                let pinned = item["serverKey"].map { PublicKey(base64URL: $0.stringValue!)! }
                var verification = ExportVerification(pinnedServerKey: pinned)
                var firstBad: LogBreak?
                for line in item["input"]!.arrayValue! where firstBad == nil {
                    firstBad = verification.read(line: Array(line.stringValue!.utf8))
                }
                #expect(firstBad?.line == Int(expect["line"]!.integerValue!), "\(name)")
                #expect(firstBad?.problems.summary.first == wanted, "\(name): \(firstBad?.problems.summary ?? [])")
                guard pinned == nil else { continue }
                // The line-by-line verifier finds the same first problem on the same line.
                var verifier = LogVerifier()
                let found = item["input"]!.arrayValue!.enumerated().lazy.map { offset, line in
                    (offset + 1, verifier.verify(line: Array(line.stringValue!.utf8)))
                }.first { !$0.1.isEmpty }
                #expect(found?.0 == firstBad?.line && found?.1 == firstBad?.problems, "\(name)")
            case "head":
                let errors = valid.verify(SignedChainHead(json: item["input"]!)!)
                #expect(errors.summary.first == wanted, "\(name): \(errors.summary)")
            default:
                Issue.record("unknown kind in \(name)")
            }
        }
    }

    @Test func enrollmentCodesAreBoundToTheirServerKey() throws {
        let keys = try Self.keys()
        let file = try Self.json("enrollment-codes.json")
        #expect(file["alphabet"]?.stringValue == String(EnrollmentCode.alphabet))
        let codes = try #require(file["codes"]?.arrayValue)
        #expect(codes.count >= 3)
        for item in codes {
            let name = item["name"]!.stringValue!
            let serverKey = keys[item["serverKey"]!.stringValue!]!.publicKey
            #expect(serverKey.fingerprint.hex == item["fingerprint"]!.stringValue!, "\(name)")
            let random = Hex.decode(item["randomHex"]!.stringValue!)!
            let code = EnrollmentCode.make(random: random, boundTo: serverKey)
            #expect(code.description == item["code"]!.stringValue!, "\(name)")
            #expect(code.normalized == item["normalized"]!.stringValue!, "\(name)")
            let input = Hex.decode(item["checkInputHex"]!.stringValue!)!
            #expect(SHA256Digest.hash(input).hex == item["checkHash"]!.stringValue!, "\(name)")
            for typed in item["typed"]!.arrayValue! {
                let read = try #require(EnrollmentCode(typed: typed.stringValue!), "\(name): \(typed)")
                #expect(read == code, "\(name): \(typed)")
                #expect(read.isBound(to: serverKey), "\(name): \(typed)")
            }
            for other in item["notBoundTo"]!.arrayValue! {
                #expect(!code.isBound(to: keys[other.stringValue!]!.publicKey), "\(name): bound to \(other)")
            }
        }
    }

    @Test func acceptedVectorsPassEveryCheck() throws {
        let file = try Self.json("accepted.json")
        let (validator, events) = try Self.reference(lines: Int(file["referenceLines"]!.integerValue!))
        for item in file["cases"]!.arrayValue! {
            let errors = Self.problems(of: item["input"]!.stringValue!, validator: validator, events: events)
            #expect(errors.isEmpty, "\(item["name"]!): \(errors.summary)")
        }
    }
}

extension VectorTests {
    /// tree.json, read from the file: roots from the export's chain links, every proof (inclusion,
    /// consistency, range) verifies against them, every broken one fails, and the head is the server's.
    @Test func treeVectorsVerify() throws {
        let tree = try Self.json("tree.json")
        let chains = try Self.read("export.ndjson").split(separator: "\n").map {
            try StoredEvent(line: Array($0.utf8)).chain
        }
        var frontier = TreeFrontier()
        var roots: [Int64: SHA256Digest] = [0: frontier.root]
        for (offset, chain) in chains.enumerated() {
            let leaf = tree["leaves"]!.arrayValue![offset]
            #expect(leaf["leafHash"]!.stringValue! == MerkleTree.leafHash(chain: chain).hex)
            frontier.append(leafHash: MerkleTree.leafHash(chain: chain))
            roots[frontier.size] = frontier.root
        }
        for item in tree["roots"]!.arrayValue! {
            #expect(roots[item["size"]!.integerValue!]?.hex == item["root"]!.stringValue!)
        }
        func path(_ item: JSONValue) -> [SHA256Digest] {
            item["path"]!.arrayValue!.map { SHA256Digest(hex: $0.stringValue!)! }
        }
        func leaf(_ position: Int64) -> SHA256Digest {
            position >= 1 && position <= chains.count ? MerkleTree.leafHash(chain: chains[Int(position - 1)]) : .zero
        }
        for item in tree["inclusion"]!.arrayValue! {
            let (position, size) = (item["position"]!.integerValue!, item["size"]!.integerValue!)
            let proof = InclusionProof(index: position - 1, size: size, path: path(item))
            #expect(proof.verifies(leafHash: leaf(position), root: roots[size]!), "\(position) in \(size)")
        }
        for item in tree["consistency"]!.arrayValue! {
            let (from, to) = (item["from"]!.integerValue!, item["to"]!.integerValue!)
            let proof = ConsistencyProof(from: from, to: to, path: path(item))
            #expect(proof.verifies(oldRoot: roots[from]!, newRoot: roots[to]!), "\(from) to \(to)")
        }
        func rangeProof(_ item: JSONValue) -> RangeProof {
            let (first, last) = (item["first"]!.integerValue!, item["last"]!.integerValue!)
            return RangeProof(leaves: (first - 1)..<last, size: item["size"]!.integerValue!, path: path(item))
        }
        let ranges = tree["ranges"]!.arrayValue!
        #expect(ranges.count >= 40)
        for item in ranges {
            let proof = rangeProof(item)
            let leaves = (proof.leaves.lowerBound + 1...proof.leaves.upperBound).map(leaf)
            #expect(proof.verifies(leafHashes: leaves, root: roots[proof.size]!), "\(proof.leaves) in \(proof.size)")
        }
        let broken = tree["broken"]!.arrayValue!
        #expect(broken.count >= 20)
        for item in broken {
            let reason = item["reason"]!.stringValue!
            if item["kind"] == "range" {
                let leaves = item["leafHashes"]!.arrayValue!.map { SHA256Digest(hex: $0.stringValue!)! }
                #expect(
                    !rangeProof(item).verifies(leafHashes: leaves, root: roots[item["size"]!.integerValue!]!),
                    "\(reason)")
            } else if item["kind"] == "inclusion" {
                let (position, size) = (item["position"]!.integerValue!, item["size"]!.integerValue!)
                let proof = InclusionProof(index: position - 1, size: size, path: path(item))
                #expect(
                    !proof.verifies(leafHash: leaf(item["leafOfPosition"]!.integerValue!), root: roots[size]!),
                    "\(reason)")
            } else {
                let (from, to) = (item["from"]!.integerValue!, item["to"]!.integerValue!)
                let proof = ConsistencyProof(from: from, to: to, path: path(item))
                #expect(!proof.verifies(oldRoot: roots[from]!, newRoot: roots[to]!), "\(reason)")
            }
        }
        let serverKey = try Self.keys()["server"]!.publicKey
        let head = try #require(TreeHead(signed: tree["head"]!.objectValue!, by: serverKey))
        #expect(head.root == roots[head.size])
        #expect(head.size == Int64(chains.count))
    }
}

extension VectorTests {
    /// cosignatures.json, read from the file: each cosignature signs exactly its canonical text and cosigns
    /// tree.json's head; each policy accepts the served head or not as the file says; every broken one fails.
    @Test func cosignatureVectorsVerify() throws {
        let file = try Self.json("cosignatures.json")
        let serverKey = try Self.keys()["server"]!.publicKey
        let head = try #require(TreeHead(signed: try Self.json("tree.json")["head"]!.objectValue!, by: serverKey))
        #expect(file["serverFingerprint"]!.stringValue! == serverKey.fingerprint.hex)
        var witnesses: [String: PublicKey] = [:]
        for item in file["witnesses"]!.arrayValue! {
            let seed = SHA256Digest.hash(item["seedLabel"]!.stringValue!).bytes
            let key = try SigningKey(rawRepresentation: seed).publicKey
            #expect(key.base64URL == item["publicKey"]!.stringValue!)
            witnesses[item["name"]!.stringValue!] = key
        }
        for item in file["cosignatures"]!.arrayValue! {
            let object = item["cosignature"]!.objectValue!
            var unsigned = object
            unsigned["signature"] = nil
            #expect(
                String(decoding: CanonicalJSON.bytes(.object(unsigned)), as: UTF8.self) == item["signingInput"]!
                    .stringValue!)
            #expect(SignedObject.signingHash(of: object).hex == item["signingHash"]!.stringValue!)
            let cosignature = try #require(Cosignature(signed: object))
            #expect(cosignature.witness == witnesses[item["witness"]!.stringValue!])
            #expect(cosignature.cosigns(head, serverKey: serverKey))
        }
        let served = file["served"]!.objectValue!
        #expect(TreeHead(signed: served, by: serverKey) == head)
        for item in file["policies"]!.arrayValue! {
            let trusted = Set(item["trusted"]!.arrayValue!.map { witnesses[$0.stringValue!]! })
            let policy = WitnessPolicy(trusted: trusted, required: Int(item["required"]!.integerValue!))
            #expect((policy.problem(with: served, serverKey: serverKey) == nil) == (item["accepted"] == .bool(true)))
        }
        let broken = file["broken"]!.arrayValue!
        #expect(broken.count >= 8)
        for item in broken {
            let counted = Cosignature(signed: item["cosignature"]!.objectValue!).map {
                $0.cosigns(head, serverKey: serverKey) && witnesses.values.contains($0.witness)
            }
            #expect(counted != true, "\(item["reason"]!.stringValue!)")
        }
    }
}
