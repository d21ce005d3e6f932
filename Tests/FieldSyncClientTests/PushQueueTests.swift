import FieldSyncModel
import Testing

@testable import FieldSyncClient

@Suite struct PushQueueTests {
    typealias Push = SimulatedDay.Push

    /// Pushes answered in a random order: every push starts once, never more than `concurrency` at once,
    /// never two of one reporter at once, each reporter's in its order; the queue is never idle while a
    /// push could go.
    @Test(arguments: [1, 3, 8])
    func everyPushGoesOnceInEachReportersOrderWithinTheBound(concurrency: Int) {
        var random = SplitMix64(seed: UInt64(concurrency))
        var pushes = [Push]()
        var next = [Int](repeating: 0, count: 6)
        for _ in 0..<200 {
            let reporter = random.next(in: 0...5)
            let count = random.next(in: 1...3)
            pushes.append(Push(reporter: reporter, range: next[reporter]..<(next[reporter] + count)))
            next[reporter] += count
        }
        var queue = PushQueue(pushes, concurrency: concurrency)
        var inFlight = [Push]()
        var started = [Push]()
        while let push = queue.next() { inFlight.append(push) }
        started += inFlight
        while !inFlight.isEmpty {
            #expect(inFlight.count <= concurrency)
            #expect(Set(inFlight.map(\.reporter)).count == inFlight.count, "two pushes of one reporter at once")
            let answered = inFlight.remove(at: random.next(in: 0...(inFlight.count - 1)))
            var now = [Push]()
            if let following = queue.answered(answered) { now.append(following) }
            while let push = queue.next() { now.append(push) }
            inFlight += now
            started += now
            // Idle only when every push is answered.
            #expect(!inFlight.isEmpty || queue.isFinished)
        }
        #expect(queue.isFinished)
        #expect(started.count == pushes.count)
        var sent = [Int](repeating: 0, count: 6)
        for push in started {
            #expect(push.range.lowerBound == sent[push.reporter], "out of order or a gap")
            sent[push.reporter] = push.range.upperBound
        }
        #expect(sent == next)
    }

    /// One reporter's slow push holds back only that reporter: the others' pushes after it still go.
    @Test func aReporterWaitingHoldsBackOnlyItself() {
        let pushes = [
            Push(reporter: 0, range: 0..<1), Push(reporter: 0, range: 1..<2), Push(reporter: 1, range: 0..<1),
            Push(reporter: 2, range: 0..<1),
        ]
        var queue = PushQueue(pushes, concurrency: 3)
        #expect(queue.next() == pushes[0])
        #expect(queue.next() == pushes[2])
        #expect(queue.next() == pushes[3])
        #expect(queue.next() == nil)
        #expect(queue.answered(pushes[2]) == nil)
        #expect(queue.next() == nil)
        #expect(queue.answered(pushes[0]) == pushes[1])
        #expect(queue.answered(pushes[3]) == nil)
        #expect(queue.answered(pushes[1]) == nil)
        #expect(queue.isFinished)
    }
}
