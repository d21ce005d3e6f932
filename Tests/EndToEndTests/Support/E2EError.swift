/// Something an end-to-end test needed that did not happen: a server that did not answer, a command
/// that failed, a socket that could not be made.
struct E2EError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
