/// A test's set-up that went wrong: a server that did not start, an enrollment or a push refused.
struct AuditTestError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
