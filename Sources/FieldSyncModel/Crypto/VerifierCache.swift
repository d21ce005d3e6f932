import Synchronization

/// The verification contexts (``VerifyTemplate``) of the public keys that verified a signature lately,
/// shared by the whole process.
///
/// A context costs about a kilobyte of libcrypto's memory (the key parsed, and the verification set up
/// for it), so keys do not hold their own: a national server's reference data names about 181,000
/// devices, in each of its copies, and most never verify anything there. A context is made on its key's
/// first verification here (a few microseconds, against about a hundred for the verification) and serves
/// every later one until the cache is full, when it starts again empty: the events of a device's batch,
/// or of an audit's devices in turn, find theirs made. A context in use when the cache empties stays
/// alive until its verification ends.
final class VerifierCache: Sendable {
    /// The cache every verification uses unless told otherwise: at most 8,192 contexts, about 9 MB.
    static let shared = VerifierCache(capacity: 8_192)

    private let verifiers: Mutex<[PublicKey: VerifyTemplate]>
    /// The most contexts held at once.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.verifiers = Mutex([:])
    }

    /// The context verifying signatures by `key`, made now unless held; nil only when libcrypto cannot make
    /// one (out of memory).
    func verifier(for key: PublicKey) -> VerifyTemplate? {
        if let held = verifiers.withLock({ $0[key] }) { return held }
        // Made outside the lock: another core may make the same one meanwhile, and the last one made stays.
        guard let made = try? VerifyTemplate(key: key.libcryptoKey()) else { return nil }
        verifiers.withLock { verifiers in
            if verifiers.count >= capacity { verifiers.removeAll(keepingCapacity: true) }
            verifiers[key] = made
        }
        return made
    }

    /// How many contexts are held.
    var count: Int { verifiers.withLock { $0.count } }
}
