/// How long to wait before trying the server again: exponential, with jitter so that many laptops
/// coming back online at once do not hammer the server in step, and a bound after which to give up.
///
/// Pure: the random draw is passed in, so the delays can be tested.
public struct Backoff: Sendable, Hashable {
    /// The first delay's upper bound.
    public var initial: Duration
    /// No delay is longer than this.
    public var maximum: Duration
    /// Give up once the server has been failing for this long without any progress.
    public var giveUpAfter: Duration

    public init(
        initial: Duration = .milliseconds(250), maximum: Duration = .seconds(15), giveUpAfter: Duration = .seconds(120)
    ) {
        self.initial = initial
        self.maximum = maximum
        self.giveUpAfter = giveUpAfter
    }

    /// The delay before retry number `attempt` (from 1), given a uniform draw in 0..<1: half the
    /// exponential step fixed and half random ("equal jitter"), so it is never zero and never above
    /// ``maximum``.
    public func delay(attempt: Int, random: Double) -> Duration {
        let step = min(initial * (1 << min(max(attempt - 1, 0), 30)), maximum)
        let half = (step.components.seconds * 1_000_000_000 + step.components.attoseconds / 1_000_000_000) / 2
        return .nanoseconds(half + Int64((Double(half) * min(max(random, 0), 1)).rounded()))
    }

    /// Whether to try again after failing for `elapsed` since the last progress, given the next delay.
    public func shouldRetry(elapsed: Duration, nextDelay: Duration) -> Bool {
        elapsed + nextDelay <= giveUpAfter
    }
}
