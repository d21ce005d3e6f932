/// Wrong enrollment codes (unknown, expired or used) in a sliding window, per client address and from
/// all clients together, and how long a client must wait before it may try a code again. Pure: the
/// caller says what time it is.
///
/// Memory is bounded: a failure is recorded only while the totals allow another attempt, so the window
/// never holds more than `total` failures.
struct EnrollmentAttempts: Sendable {
    /// Wrong codes one address may send within `window`.
    let perAddress: Int
    /// Wrong codes all addresses together may send within `window`.
    let total: Int
    let window: Duration
    private var byAddress: [String: [ContinuousClock.Instant]] = [:]
    private var all: [ContinuousClock.Instant] = []

    init(perAddress: Int, total: Int, window: Duration) {
        self.perAddress = perAddress
        self.total = total
        self.window = window
    }

    /// What keeps `address` from trying a code now, and for how long; nil when it may.
    mutating func wait(for address: String, at now: ContinuousClock.Instant) -> (Duration, global: Bool)? {
        forget(before: now - window)
        if let failures = byAddress[address], failures.count >= perAddress {
            return (failures[failures.count - perAddress] + window - now, false)
        }
        if all.count >= total { return (all[all.count - total] + window - now, true) }
        return nil
    }

    /// Notes a wrong code from `address`.
    mutating func recordFailure(of address: String, at now: ContinuousClock.Instant) {
        byAddress[address, default: []].append(now)
        all.append(now)
        if byAddress[address]!.count > perAddress { byAddress[address]!.removeFirst() }
        if all.count > total { all.removeFirst() }
    }

    /// Forgets the failures a whole window old: at `oldest` or before.
    private mutating func forget(before oldest: ContinuousClock.Instant) {
        guard let first = all.first, first <= oldest else { return }
        all.removeFirst(all.prefix { $0 <= oldest }.count)
        byAddress = byAddress.compactMapValues { failures in
            let kept = failures.drop { $0 <= oldest }
            return kept.isEmpty ? nil : Array(kept)
        }
    }
}

/// The server's record of wrong enrollment codes, shared by every request (see ``EnrollmentAttempts``).
actor EnrollmentThrottle {
    private var attempts: EnrollmentAttempts

    init(perAddress: Int, total: Int, window: Duration) {
        attempts = EnrollmentAttempts(perAddress: perAddress, total: total, window: window)
    }

    /// What keeps `address` from trying a code now, and for how long; nil when it may.
    func wait(for address: String) -> (Duration, global: Bool)? {
        attempts.wait(for: address, at: .now)
    }

    func recordFailure(of address: String) {
        attempts.recordFailure(of: address, at: .now)
    }
}
