extension DeviceEnrollment {
    /// Reads an enrollment straight from the JSON text of its `data` (see ``PlainObject``): `device`,
    /// `publicKey`, `reporter` and `role`, each once and nothing else, every rule of ``init(reading:)``
    /// met, and each value written exactly as ``jsonValue`` writes it (so that the event's hash, computed
    /// from the payload, is the one computed from the text). Nil for any other text, including every
    /// text ``init(reading:)`` refuses: the caller reads that one through the tree.
    init?(plain bytes: UnsafeBufferPointer<UInt8>) {
        var device: DeviceID?
        var publicKey: PublicKey?
        var reporter: String?
        var role: DeviceRole?
        let read = PlainObject.forEachMember(of: bytes) { name, value in
            if name.equals("device") {
                guard device == nil, let id = value.device else { return false }
                device = id
                return true
            }
            guard case .string(let text) = value else { return false }
            if name.equals("publicKey") {
                let written = String(decoding: text, as: UTF8.self)
                guard publicKey == nil, let key = PublicKey(base64URL: written), key.base64URL == written else {
                    return false
                }
                publicKey = key
            } else if name.equals("reporter") {
                // Printable ASCII (the plain reader takes no other string): one code point a byte.
                guard reporter == nil, (1...TextLimit.name).contains(text.count) else { return false }
                reporter = String(decoding: text, as: UTF8.self)
            } else if name.equals("role") {
                guard role == nil, let chosen = DeviceRole(rawValue: String(decoding: text, as: UTF8.self)) else {
                    return false
                }
                role = chosen
            } else {
                return false
            }
            return true
        }
        guard read, let device, let publicKey, let reporter, let role, device == publicKey.deviceID else {
            return nil
        }
        self.init(publicKey: publicKey, reporter: reporter, role: role)
    }

    /// Appends the canonical form of ``jsonValue`` without making it: its members in their canonical
    /// order (`device`, `publicKey`, `reporter`, `role`).
    func writeCanonicalData(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"device":"#.utf8)
        CanonicalJSON.writeString(device.rawValue, into: &out)
        out.append(contentsOf: #","publicKey":"#.utf8)
        CanonicalJSON.writeString(publicKey.base64URL, into: &out)
        out.append(contentsOf: #","reporter":"#.utf8)
        CanonicalJSON.writeString(reporter, into: &out)
        out.append(contentsOf: #","role":"#.utf8)
        CanonicalJSON.writeString(role.rawValue, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}
