import Testing

@testable import FieldSyncServer

/// The pure parts of the throttles, with the time given: which log lines are written, and how long a
/// client that sent wrong enrollment codes waits.
@Suite struct ThrottleTests {
    let start = ContinuousClock.now

    @Test func aLineAMinutePerKeySayingHowManyWereLeftOut() {
        var throttle = LogThrottle(interval: .seconds(60), maximumKeys: 100)
        #expect(throttle.admit("refused 10.0.0.1", at: start) == 0)
        for second in 1..<20 { #expect(throttle.admit("refused 10.0.0.1", at: start + .seconds(second)) == nil) }
        #expect(throttle.admit("refused 10.0.0.2", at: start + .seconds(5)) == 0)
        #expect(throttle.admit("refused 10.0.0.1", at: start + .seconds(60)) == 19)
        #expect(throttle.admit("refused 10.0.0.1", at: start + .seconds(61)) == nil)
        #expect(throttle.admit("refused 10.0.0.1", at: start + .seconds(200)) == 1)
    }

    @Test func manyKeysShareOneLineOnceTheyFillTheThrottle() {
        var throttle = LogThrottle(interval: .seconds(60), maximumKeys: 3)
        for address in 1...3 { #expect(throttle.admit("refused 10.0.0.\(address)", at: start) == 0) }
        #expect(throttle.admit("refused 10.0.0.4", at: start) == 0)
        #expect(throttle.admit("refused 10.0.0.5", at: start) == nil)
        // A minute on, the old keys are forgotten and new ones get their own lines again.
        #expect(throttle.admit("refused 10.0.0.6", at: start + .seconds(61)) == 0)
    }

    @Test func wrongCodesCountPerAddressAndInAll() throws {
        var attempts = EnrollmentAttempts(perAddress: 2, total: 3, window: .seconds(600))
        #expect(attempts.wait(for: "a", at: start) == nil)
        attempts.recordFailure(of: "a", at: start)
        attempts.recordFailure(of: "a", at: start + .seconds(10))
        let first = attempts.wait(for: "a", at: start + .seconds(20))
        let (wait, global) = try #require(first)
        #expect(wait == .seconds(580) && !global)
        #expect(attempts.wait(for: "b", at: start + .seconds(20)) == nil)
        attempts.recordFailure(of: "b", at: start + .seconds(30))
        let second = attempts.wait(for: "c", at: start + .seconds(40))
        let (allWait, all) = try #require(second)
        #expect(allWait == .seconds(560) && all)
        // The first failure leaves the window: "a" still has one, under its limit; the total is 2 of 3.
        #expect(attempts.wait(for: "a", at: start + .seconds(600)) == nil)
        #expect(attempts.wait(for: "c", at: start + .seconds(600)) == nil)
        // Everything forgotten after a window of quiet.
        #expect(attempts.wait(for: "a", at: start + .seconds(1300)) == nil)
    }
}
