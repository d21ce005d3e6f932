import Synchronization

/// Events before photos, on the server: while batches of events are being checked and stored, the
/// pieces of photos wait before they are kept, for at most ``patience`` each, so that in a burst of many
/// reporters every batch under way is stored before another reporter's photo takes the database's time.
///
/// `fieldsync sync` already sends a device's events before its photos; this orders the devices among
/// themselves. The wait is bounded, so that a steady stream of batches slows photos down and never stops
/// them; a batch that arrives while a piece is being kept does not wait for it.
final class EventsFirst: Sendable {
    /// The longest one piece of a photo waits for the batches under way.
    let patience: Duration
    private let state = Mutex(State())

    private struct State {
        /// Batches of events being checked and stored now.
        var batches = 0
        /// The pieces waiting for them, by a number of their own.
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextPiece = 0
    }

    init(patience: Duration) {
        self.patience = patience
    }

    /// How many pieces of photos wait now.
    var piecesWaiting: Int { state.withLock { $0.waiting.count } }

    /// Runs `work`, the checking and storing of one batch of events, with the photos' pieces held back.
    func storingEvents<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        state.withLock { $0.batches += 1 }
        defer {
            let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.batches -= 1
                guard state.batches == 0 else { return [] }
                defer { state.waiting = [:] }
                return Array(state.waiting.values)
            }
            for piece in woken { piece.resume() }
        }
        return try await work()
    }

    /// Returns once no batch of events is being stored, or after ``patience``: called before a piece of
    /// a photo is kept. The patience is kept by a timer task of its own (a sleep, which ends on its own),
    /// so that the piece's wait is one continuation, resumed once by whichever comes first.
    func photoPieceMayGo() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let piece = state.withLock { state -> Int? in
                guard state.batches > 0, patience > .zero else { return nil }
                defer { state.nextPiece += 1 }
                state.waiting[state.nextPiece] = continuation
                return state.nextPiece
            }
            guard let piece else {
                continuation.resume()
                return
            }
            Task { [self] in
                try? await Task.sleep(for: patience)
                state.withLock { $0.waiting.removeValue(forKey: piece) }?.resume()
            }
        }
    }
}
