@testable import FieldSyncModel

extension ProtocolVectors {
    /// Enrollment codes bound to a server key (PROTOCOL.md §4.1): the random groups, the exact bytes
    /// hashed for the check, the code, ways it may be typed, and the keys it is not bound to.
    var enrollmentCodesFile: String {
        let cases: [(name: String, key: Key, random: [UInt8], other: Key)] = [
            (
                "bound to the server key", server,
                Array(SHA256Digest.hash("fieldsync-vectors/enrollment-code-1").bytes.prefix(5)), intruder
            ),
            (
                "the same random groups bound to another key", intruder,
                Array(SHA256Digest.hash("fieldsync-vectors/enrollment-code-1").bytes.prefix(5)), server
            ),
            ("random groups of zero bits", server, [0, 0, 0, 0, 0], intruder),
        ]
        let items = cases.map { item -> JSONValue in
            let code = EnrollmentCode.make(random: item.random, boundTo: item.key.key.publicKey)
            let random = String(code.normalized.prefix(EnrollmentCode.randomLength))
            let input =
                Array(EnrollmentCode.checkLabel.utf8) + [0] + item.key.key.publicKey.fingerprint.bytes
                + Array(random.utf8)
            let typed = code.description.lowercased().replacing("-", with: " ")
            return [
                "name": .string(item.name), "serverKey": .string(item.key.name),
                "fingerprint": .string(item.key.key.publicKey.fingerprint.hex),
                "randomHex": .string(Hex.encode(item.random)), "random": .string(random),
                "checkInputHex": .string(Hex.encode(input)), "checkHash": .string(SHA256Digest.hash(input).hex),
                "check": .string(String(code.normalized.dropFirst(EnrollmentCode.randomLength))),
                "normalized": .string(code.normalized), "code": .string(code.description),
                "typed": .array([.string(typed), .string(Self.mistyped(code.description))]),
                "notBoundTo": .array([.string(item.other.name)]),
            ]
        }
        return PrettyJSON.string(
            [
                "note": .string(
                    "Enrollment codes: 8 random characters, then the 8-character check over the server key's"
                        + " fingerprint (PROTOCOL.md §4.1). Keys by name from keys.json."),
                "alphabet": .string(String(EnrollmentCode.alphabet)), "checkLabel": .string(EnrollmentCode.checkLabel),
                "codes": .array(items),
            ])
    }

    /// The code as it may be typed by someone who reads 0 as O and 1 as I.
    static func mistyped(_ code: String) -> String {
        String(code.map { $0 == "0" ? "O" : $0 == "1" ? "I" : $0 })
    }
}
