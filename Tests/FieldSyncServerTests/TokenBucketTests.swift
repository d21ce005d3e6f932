import FieldSyncModel
import HTTPTypes
import Testing

@testable import FieldSyncServer

@Suite struct TokenBucketTests {
    let start = ContinuousClock.now

    @Test func aFullBucketPaysForABurstThenRefillsAtItsRate() {
        var bucket = TokenBucket(capacity: 1000, rate: 100, now: start)
        #expect(bucket.take(1000, at: start) == nil)
        #expect(bucket.take(1, at: start) == .milliseconds(10))
        // Half a second later: 50 tokens.
        #expect(bucket.take(50, at: start + .milliseconds(500)) == nil)
        #expect(bucket.take(60, at: start + .milliseconds(500)) == .milliseconds(600))
        // Refused takes take nothing: 60 tokens 0.6 s later.
        #expect(bucket.take(60, at: start + .milliseconds(1100)) == nil)
        #expect(bucket.tokens < 1e-9)
    }

    @Test func theBucketNeverHoldsMoreThanItsCapacity() {
        var bucket = TokenBucket(capacity: 10, rate: 5, now: start)
        #expect(bucket.take(4, at: start) == nil)
        #expect(bucket.isFull(at: start) == false)
        #expect(bucket.isFull(at: start + .seconds(1)))
        #expect(bucket.take(11, at: start + .seconds(3600)) == nil)
        #expect(bucket.tokens == 0)
        // More than the capacity asks for a full bucket: 2 s from empty at 5 a second.
        #expect(bucket.take(500, at: start + .seconds(3600)) == .seconds(2))
    }

    @Test func aClockThatGoesBackAddsNothing() {
        var bucket = TokenBucket(capacity: 10, rate: 1, now: start + .seconds(5))
        #expect(bucket.take(10, at: start + .seconds(5)) == nil)
        #expect(bucket.take(1, at: start) == .seconds(1))
    }

    @Test func pushRatesKeepABucketPerDeviceAndAnswer429WithRetryAfter() throws {
        let rates = PushRates(rate: 10, burst: 100)
        let alice = try #require(DeviceIDs.alice)
        let bob = try #require(DeviceIDs.bob)
        try rates.take(100, for: alice, now: start)
        try rates.take(100, for: bob, now: start)
        let refusal = #expect(throws: Problem.self) { try rates.take(25, for: alice, now: start + .milliseconds(100)) }
        #expect(refusal?.kind == .pushRateLimited)
        #expect(refusal?.status == .tooManyRequests)
        // 24 tokens missing at 10 a second: 2.4 s, said as 3.
        #expect(refusal?.headers[.retryAfter] == "3")
        #expect(refusal?.detail.contains("10 a second, bursts of 100") == true)
        try rates.take(25, for: alice, now: start + .milliseconds(2600))
        // No rate: no limit.
        try PushRates(rate: 0, burst: 1).take(1_000_000, for: alice)
    }
}

enum DeviceIDs {
    static let alice = DeviceID("a11ce00000000000000a")
    static let bob = DeviceID("b0b0000000000000000b")
}
