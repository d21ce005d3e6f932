import FieldSyncClient
import FieldSyncModel
import Foundation

/// A witness's key files: the private key as PKCS#8 PEM (mode 0600), made by `audit witness keygen`, and its
/// public half beside it in `FILE.pub`, as PEM, which an admin registers and readers pin.
enum WitnessKeyFile {
    /// Makes a new key at `path` and its public half at `path.pub`; refuses to replace either.
    static func create(at path: String) throws -> SigningKey {
        let key = SigningKey.generate()
        for file in [path, path + ".pub"] where DurableFile.exists(file) {
            throw UsageProblem("\(file) exists already (allowed: a new file; a witness keeps its key)")
        }
        try DurableFile.create(path, with: Array(key.pemRepresentation.utf8), mode: 0o600)
        try DurableFile.create(path + ".pub", with: Array(key.publicKey.pemRepresentation.utf8), mode: 0o644)
        return key
    }

    /// The private key at `path`.
    static func signingKey(at path: String) throws -> SigningKey {
        guard let bytes = try DurableFile.contents(of: path),
            let key = try? SigningKey(pemRepresentation: String(decoding: bytes, as: UTF8.self))
        else {
            throw UsageProblem(
                "cannot read a witness key from \(path) (allowed: the Ed25519 PEM private key "
                    + "fieldsync audit witness keygen made)")
        }
        return key
    }

    /// A public key in `path`: PEM, or base64url of its 32 bytes on one line.
    static func publicKey(at path: String) throws -> PublicKey {
        guard let bytes = try DurableFile.contents(of: path) else {
            throw UsageProblem("cannot read \(path) (allowed: a readable file with a witness's public key)")
        }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = PublicKey(base64URL: text) ?? (try? PublicKey(pemRepresentation: text)) else {
            throw UsageProblem(
                "\(path) holds no public key (allowed: an Ed25519 PEM public key such as keygen's FILE.pub, or "
                    + "base64url of 32 bytes)")
        }
        return key
    }
}
