/// A photo carried in a bundle: what the events say of it, and its bytes.
public struct BundlePhoto: Sendable, Hashable {
    /// Its hash, size and type, as told by its bytes.
    public let reference: PhotoReference
    public let bytes: [UInt8]

    /// Checks `bytes` as a photo (a JPEG or PNG of at most 8 MiB).
    public init(bytes: [UInt8]) throws(PhotoProblem) {
        self.reference = try PhotoReference(of: bytes)
        self.bytes = bytes
    }

    public var sha256: SHA256Digest { reference.sha256 }

    /// Its line in a bundle: `{"bytes":"<base64url>","sha256":"<hex>"}` in canonical form.
    var line: [UInt8] {
        CanonicalJSON.bytes(["bytes": .string(Base64URL.encode(bytes)), "sha256": .string(sha256.hex)])
    }

    /// Reads a photo line; every fault is `tampered`.
    init(line: ArraySlice<UInt8>, number: Int) throws(BundleProblem) {
        func tampered(_ detail: String) -> BundleProblem { BundleProblem(.tampered, "line \(number): " + detail) }
        guard let object = try? JSONParser.parse(line).objectValue, object.count == 2,
            let text = object["sha256"]?.stringValue, let name = SHA256Digest(hex: text),
            let encoded = object["bytes"]?.stringValue
        else { throw tampered("not a photo line ({\"bytes\":…,\"sha256\":…})") }
        guard let bytes = Base64URL.decode(encoded) else {
            throw tampered("the bytes of photo \(name.hex) are not base64url")
        }
        let found = SHA256Digest.hash(bytes)
        guard found == name else {
            throw tampered("the bytes of photo \(name.hex) are not that photo: they hash to \(found.hex)")
        }
        do {
            try self.init(bytes: bytes)
        } catch {
            throw tampered("photo \(name.hex) is not a photo: \(error)")
        }
    }
}
