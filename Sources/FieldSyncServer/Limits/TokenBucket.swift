/// A token bucket: it holds at most ``capacity`` tokens, gains ``rate`` tokens a second, and starts full.
/// Taking `n` tokens succeeds when the bucket holds `n`; otherwise nothing is taken and the answer says
/// how long until it will.
///
/// Pure: the time is passed in, so the arithmetic is tested without waiting.
struct TokenBucket: Sendable, Equatable {
    /// The most tokens the bucket holds: the largest burst.
    let capacity: Double
    /// Tokens gained per second.
    let rate: Double
    private(set) var tokens: Double
    private var updated: ContinuousClock.Instant

    /// A full bucket at `now`. `rate` must be positive.
    init(capacity: Int, rate: Double, now: ContinuousClock.Instant) {
        precondition(capacity > 0 && rate > 0, "a token bucket needs a positive capacity and rate")
        self.capacity = Double(capacity)
        self.rate = rate
        self.tokens = Double(capacity)
        self.updated = now
    }

    /// Takes `count` tokens at `now`, or says how long to wait before they are there. A count beyond the
    /// capacity asks for a full bucket, so that it is refused only while the bucket is not full.
    mutating func take(_ count: Int, at now: ContinuousClock.Instant) -> Duration? {
        refill(at: now)
        let wanted = min(Double(count), capacity)
        if tokens >= wanted {
            tokens -= wanted
            return nil
        }
        return .nanoseconds(Int64(((wanted - tokens) / rate * 1e9).rounded(.up)))
    }

    /// Whether the bucket is full at `now`: a bucket that is can be forgotten and made again.
    func isFull(at now: ContinuousClock.Instant) -> Bool {
        var bucket = self
        bucket.refill(at: now)
        return bucket.tokens >= capacity
    }

    private mutating func refill(at now: ContinuousClock.Instant) {
        guard now > updated else { return }
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        tokens = min(capacity, tokens + seconds * rate)
        updated = now
    }
}
