/// Which pushes of a ``SimulatedDay`` may go next: in order of arrival, at most `concurrency` at once,
/// and never two of one reporter at once. A reporter whose push is still unanswered holds back only its
/// own later pushes, not the other reporters' (as on the day: one slow laptop does not stop the others).
///
/// Pure: ``Simulation`` starts what ``next()`` gives and reports each answer with ``answered(_:)``.
struct PushQueue: Sendable {
    private let pushes: [SimulatedDay.Push]
    private let concurrency: Int
    /// The first push not yet started nor held back.
    private var cursor = 0
    private var inFlight = 0
    /// The reporters with a push unanswered, each with its later pushes that arrived meanwhile, in order.
    private var heldBack: [Int: [SimulatedDay.Push]] = [:]

    init(_ pushes: [SimulatedDay.Push], concurrency: Int) {
        precondition(concurrency > 0)
        self.pushes = pushes
        self.concurrency = concurrency
    }

    /// Whether every push was started and answered.
    var isFinished: Bool { cursor == pushes.count && inFlight == 0 }

    /// A push that may start now; nil when `concurrency` are in flight or every push left waits on one.
    mutating func next() -> SimulatedDay.Push? {
        while inFlight < concurrency && cursor < pushes.count {
            let push = pushes[cursor]
            cursor += 1
            if heldBack[push.reporter] != nil {
                heldBack[push.reporter]!.append(push)
            } else {
                heldBack[push.reporter] = []
                inFlight += 1
                return push
            }
        }
        return nil
    }

    /// `push` was answered: its reporter's next push held back, if any, goes now (returned, already in
    /// flight); otherwise the reporter is free.
    mutating func answered(_ push: SimulatedDay.Push) -> SimulatedDay.Push? {
        guard var waiting = heldBack[push.reporter] else { preconditionFailure("a push answered twice") }
        guard !waiting.isEmpty else {
            heldBack[push.reporter] = nil
            inFlight -= 1
            return nil
        }
        let following = waiting.removeFirst()
        heldBack[push.reporter] = waiting
        return following
    }
}
