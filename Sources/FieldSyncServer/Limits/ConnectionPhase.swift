/// Which of the server's HTTP timeouts a connection is under, from what it has read and written; pure,
/// so the rules are tested without a socket.
///
/// - Before its first request's head is read whole: the *header* timeout, from when it opened. A client
///   that sends a header byte now and then (slowloris) is closed when it runs out.
/// - From a request's head to the end of its body: the *body* timeout, for the whole body however it
///   trickles in.
/// - Once every request read is answered: the *idle* timeout, from the end of the last answer, for the
///   next request's head to be read whole.
/// - While an answer is being written (a long export, a live stream): none.
struct ConnectionPhase: Sendable, Equatable {
    enum Timeout: Sendable, Equatable {
        case header, body, idle
    }

    /// Answers written whole.
    private var answered = 0
    /// Requests whose head was read and whose answer is not written whole yet.
    private var unanswered = 0
    /// A request's head was read and its body is not read whole yet.
    private var readingBody = false

    /// The timeout the connection is under now; nil while an answer is being written.
    var timeout: Timeout? {
        if readingBody { return .body }
        if unanswered > 0 { return nil }
        return answered == 0 ? .header : .idle
    }

    mutating func readHead() {
        readingBody = true
        unanswered += 1
    }

    mutating func readEnd() {
        readingBody = false
    }

    mutating func wroteEnd() {
        unanswered = max(0, unanswered - 1)
        answered += 1
    }
}
