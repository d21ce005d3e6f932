import FieldSyncModel
import Synchronization

/// How fast each device may push: a ``TokenBucket`` per device, one token per event sent (whatever
/// becomes of it, since checking it is the cost), holding `burst` events and refilled at `rate` events a
/// second. A batch the device's bucket cannot pay for is refused whole with `push-rate-limited` (429)
/// and a `Retry-After`, before any of it is checked; its events are not counted.
///
/// A bucket that is full again is the same as none: they are forgotten when there are many.
final class PushRates: Sendable {
    let rate: Double
    let burst: Int
    private let buckets = Mutex([DeviceID: TokenBucket]())

    /// Buckets kept before the full ones are forgotten.
    static let forgetAbove = 10_000

    /// `rate` 0 lets every push through.
    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = burst
    }

    /// Takes `events` tokens from the device's bucket, or throws `push-rate-limited`.
    func take(_ events: Int, for device: DeviceID, now: ContinuousClock.Instant = .now) throws {
        guard rate > 0 else { return }
        let wait = buckets.withLock { buckets -> Duration? in
            if buckets.count > Self.forgetAbove { buckets = buckets.filter { !$0.value.isFull(at: now) } }
            var bucket = buckets[device] ?? TokenBucket(capacity: burst, rate: rate, now: now)
            let wait = bucket.take(events, at: now)
            buckets[device] = bucket
            return wait
        }
        guard let wait else { return }
        throw Problem.pushRateLimited(device: device, events: events, rate: rate, burst: burst, wait: wait)
    }
}
