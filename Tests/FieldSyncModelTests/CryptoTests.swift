import Testing

@testable import FieldSyncModel

@Suite struct CryptoTests {
    /// RFC 8032 §7.1, test 1 (empty message) and test 2 (one byte).
    @Test func matchesRFC8032() throws {
        let key = try SigningKey(
            rawRepresentation: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!)
        #expect(
            key.publicKey.rawRepresentation.hexString
                == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = key.signature(for: [UInt8]())
        #expect(
            signature.hexString
                == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        )
        #expect(key.publicKey.isValidSignature(signature, for: [UInt8]()))

        let key2 = try SigningKey(
            rawRepresentation: Hex.decode("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")!)
        let signature2 = key2.signature(for: [0x72])
        #expect(
            signature2.hexString
                == "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        )
    }

    @Test func rejectsWrongSignaturesAndMessages() {
        let key = Fixture.reporterKey
        let message: [UInt8] = Array("hello".utf8)
        let signature = key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("hellp".utf8)))
        #expect(!Fixture.editorKey.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: message))
        var flipped = signature
        flipped[10] ^= 1
        #expect(!key.publicKey.isValidSignature(flipped, for: message))
    }

    /// One key verifies from many tasks at once (its libcrypto objects are shared, read-only).
    @Test func verifiesConcurrently() async {
        let key = Fixture.reporterKey
        let messages = (0..<64).map { [UInt8]("message \($0)".utf8) }
        let signatures = messages.map { key.signature(for: $0) }
        let publicKey = key.publicKey
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures = 0
                    for round in 0..<50 {
                        let index = (task * 7 + round) % messages.count
                        if !publicKey.isValidSignature(signatures[index], for: messages[index]) { failures += 1 }
                        if publicKey.isValidSignature(signatures[index], for: messages[(index + 1) % messages.count]) {
                            failures += 1
                        }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }

    /// A public key is its 32 bytes and nothing more: no libcrypto object of its own.
    @Test func publicKeyIsItsThirtyTwoBytes() throws {
        #expect(MemoryLayout<PublicKey>.size == 32)
        let raw = Fixture.reporterKey.publicKey.rawRepresentation
        let again = try PublicKey(rawRepresentation: raw)
        #expect(again == Fixture.reporterKey.publicKey)
        #expect(again.rawRepresentation == raw)
        #expect(Set([again, Fixture.reporterKey.publicKey, Fixture.editorKey.publicKey]).count == 2)
        #expect(throws: CryptoError.self) { try PublicKey(rawRepresentation: Array(raw.dropLast())) }
        #expect(PublicKey(base64URL: Base64URL.encode(raw + [0])) == nil)
    }

    /// Keys verify with contexts made on use and kept while the cache has room; once full it starts again
    /// empty, and every key still verifies, and still refuses what it did not sign.
    @Test func verificationContextsAreMadeOnUseAndBounded() {
        let verifiers = VerifierCache(capacity: 2)
        let message: [UInt8] = Array("a count at noon".utf8)
        let keys = (1...5).map { try! SigningKey(rawRepresentation: [UInt8](repeating: UInt8($0), count: 32)) }
        let signatures = keys.map { $0.signature(for: message) }
        #expect(verifiers.count == 0)
        for round in 0..<3 {
            for (index, key) in keys.enumerated() {
                #expect(key.publicKey.isValidSignature(signatures[index], for: message, verifiers: verifiers))
                let other = signatures[(index + 1) % keys.count]
                #expect(!key.publicKey.isValidSignature(other, for: message, verifiers: verifiers))
                #expect(verifiers.count <= 2, "round \(round), key \(index)")
            }
        }
        #expect(verifiers.count >= 1)
    }

    @Test func pemRoundTrips() throws {
        let key = SigningKey.generate()
        let pem = key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let back = try SigningKey(pemRepresentation: pem)
        #expect(back.rawRepresentation == key.rawRepresentation)
        let publicPEM = key.publicKey.pemRepresentation
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try PublicKey(pemRepresentation: publicPEM) == key.publicKey)
        #expect(throws: CryptoError.self) { try SigningKey(pemRepresentation: publicPEM) }
        #expect(throws: CryptoError.self) { try PublicKey(pemRepresentation: "not a key") }
    }

    @Test func rawAndBase64URLEncodings() throws {
        let key = Fixture.serverKey.publicKey
        #expect(key.base64URL.count == 43)
        #expect(PublicKey(base64URL: key.base64URL) == key)
        #expect(PublicKey(base64URL: key.base64URL + "=") == nil)
        #expect(PublicKey(base64URL: String(key.base64URL.dropLast())) == nil)
        #expect(throws: CryptoError.self) { try PublicKey(rawRepresentation: [1, 2, 3]) }
        #expect(throws: CryptoError.self) { try SigningKey(rawRepresentation: [UInt8](repeating: 0, count: 31)) }
    }

    @Test func deviceIDIsTheStartOfTheKeysHash() {
        let key = Fixture.reporterKey.publicKey
        let expected = SHA256Digest.hash(key.rawRepresentation).hex.prefix(20)
        #expect(key.deviceID.rawValue == String(expected))
        #expect(DeviceID(source: "/devices/" + expected) == key.deviceID)
        #expect(DeviceID(source: "/server") == .server)
        #expect(DeviceID(source: "/devices/server") == nil)
        #expect(DeviceID(source: "/devices/" + expected.uppercased()) == nil)
        #expect(DeviceID(source: "devices/" + expected) == nil)
    }

    /// A device id is held as its bytes: its text comes back as it was read, and ids order as their texts
    /// do, `server` last.
    @Test func deviceIDsKeepTheirTextAndItsOrder() throws {
        var random = SystemRandomNumberGenerator()
        var texts = ["00000000000000000000", "ffffffffffffffffffff", "0000000000000000ffff", "ffffffffffffffff0000"]
        for _ in 0..<200 {
            texts.append(String((0..<20).map { _ in "0123456789abcdef".randomElement(using: &random)! }))
        }
        let devices = try texts.map { try #require(DeviceID($0)) }
        #expect(devices.map(\.rawValue) == texts)
        #expect(devices.map(\.source) == texts.map { "/devices/" + $0 })
        #expect((devices + [.server]).sorted().map(\.rawValue) == (texts + ["server"]).sorted())
        #expect(Set(devices).count == Set(texts).count)
        #expect(DeviceID("server") == .server && DeviceID.server.isServer && !devices[0].isServer)
        #expect(DeviceID.server.rawValue == "server" && DeviceID.server.source == "/server")
        #expect(DeviceID("00000000000000000000") != .server)
        for bad in ["0000000000000000000", "000000000000000000000", "0000000000000000000A", "000000000000000000 0", ""]
        {
            #expect(DeviceID(bad) == nil, "\(bad)")
        }
        #expect(MemoryLayout<DeviceID>.size <= 16)
    }

    @Test func hexIsLowercaseAndWholeBytesOnly() {
        #expect(Hex.decode("00ff7a") == [0x00, 0xff, 0x7a])
        #expect(Hex.decode("") == [])
        let bad = ["0", "00F", "00FF", "0g", "zz", " 00", "00 ", "é0"]
        for text in bad {
            #expect(Hex.decode(text) == nil, "\(text)")
            #expect(!Hex.isHex(text), "\(text)")
        }
        #expect(Hex.isHex("0123456789abcdef"))
        let bytes = Array("xx00ffxx".utf8)
        #expect(
            bytes.withUnsafeBufferPointer { Hex.decode(utf8: UnsafeBufferPointer(rebasing: $0[2..<6])) } == [0, 255])
        // Device ids and event ids read from part of a longer text, as a database row or a line gives them.
        let line = "device=0123456789abcdef0123;"
        #expect(DeviceID(line.dropFirst(7).dropLast())?.rawValue == "0123456789abcdef0123")
        #expect(DeviceID("0123456789ABCDEF0123") == nil)
        #expect(DeviceID("0123456789abcdef012") == nil)
        let id = "[6f9619ff-8b86-d011-b42d-00c04fc964ff]"
        #expect(EventID(id.dropFirst().dropLast())?.description == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
    }

    /// A digest is held as words, inline: its bytes, hex and equality are those of the 32 bytes, in order.
    @Test func digestsAreTheirThirtyTwoBytesInOrder() {
        let abc = SHA256Digest.hash(Array("abc".utf8))
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(abc.hex == expected)
        #expect(abc.bytes == Hex.decode(expected))
        #expect(SHA256Digest.hash("abc") == abc)
        #expect(abc.withUnsafeBytes { Array($0) } == abc.bytes)
        var written = [UInt8]("x".utf8)
        abc.writeHex(into: &written)
        #expect(written == Array(("x" + expected).utf8))
        var random = SplitMix64(seed: 32)
        for _ in 0..<200 {
            let bytes = (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let digest = SHA256Digest(bytes: bytes)
            #expect(digest?.bytes == bytes)
            #expect(digest?.hex == Hex.encode(bytes))
            #expect(SHA256Digest(hex: Hex.encode(bytes)) == digest)
            var flipped = bytes
            flipped[Int(random.next() % 32)] ^= 1 << (random.next() % 8)
            #expect(SHA256Digest(bytes: flipped) != digest)
            #expect(Set([digest, SHA256Digest(bytes: bytes), SHA256Digest(bytes: flipped)]).count == 2)
        }
        #expect(SHA256Digest.zero.bytes == [UInt8](repeating: 0, count: 32))
        for bad in [String(expected.dropLast()), expected + "0", expected.uppercased(), "g" + expected.dropFirst()] {
            #expect(SHA256Digest(hex: bad) == nil, "\(bad)")
        }
        #expect(SHA256Digest(bytes: [UInt8](repeating: 1, count: 31)) == nil)
    }

    @Test func constantTimeComparison() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equal([UInt8](), [UInt8]()))
    }

    @Test func uuidsAreVersion4AndLowercase() {
        var seen = Set<EventID>()
        for _ in 0..<100 {
            let id = EventID.random()
            let text = id.description
            #expect(text.count == 36)
            #expect(Array(text)[14] == "4")
            #expect("89ab".contains(Array(text)[19]))
            #expect(EventID(text) == id)
            seen.insert(id)
        }
        #expect(seen.count == 100)
        #expect(EventID("6F9619FF-8B86-D011-B42D-00C04FC964FF") == nil)
        #expect(EventID("6f9619ff8b86d011b42d00c04fc964ff") == nil)
        #expect(EventID("{6f9619ff-8b86-d011-b42d-00c04fc964ff}") == nil)
        #expect(EventID("6f9619ff-8b86-d011-b42d-00c04fc964ff")?.description == "6f9619ff-8b86-d011-b42d-00c04fc964ff")
    }

    @Test func signedObjectsFollowTheGenericRule() {
        let head: [String: JSONValue] = [
            "type": "fieldsync.chain-head.v1", "position": 42, "chain": .string(SHA256Digest.zero.hex),
            "time": "2024-02-08T12:00:00.000000Z",
        ]
        let signed = SignedObject.signed(head, with: Fixture.serverKey)
        #expect(SignedObject.isValid(signed, signedBy: Fixture.serverKey.publicKey))
        #expect(!SignedObject.isValid(signed, signedBy: Fixture.reporterKey.publicKey))
        var tampered = signed
        tampered["position"] = 43
        #expect(!SignedObject.isValid(tampered, signedBy: Fixture.serverKey.publicKey))
        #expect(!SignedObject.isValid(head, signedBy: Fixture.serverKey.publicKey))
        #expect(SignedObject.signingHash(of: signed) == SHA256Digest.hash(CanonicalJSON.bytes(.object(head))))
    }

    /// An event is a signed object too: its hash is the generic signing hash of the submitted object.
    @Test func eventHashIsTheGenericSigningHash() {
        let event = Fixture.observation(
            .stationOpened(
                StationOpened(
                    openedAt: Fixture.time("2024-02-08T08:05:00+05:00"), materialsComplete: true, staffPresent: false)))
        #expect(SignedObject.signingHash(of: event.jsonObject) == event.hash)
        #expect(SignedObject.isValid(event.jsonObject, signedBy: Fixture.reporterKey.publicKey))
    }
}

extension Collection<UInt8> {
    var hexString: String { Hex.encode(self) }
}
