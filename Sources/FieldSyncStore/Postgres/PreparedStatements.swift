/// The statements a connection has prepared on its session, by text.
///
/// A statement is prepared the second time its text runs on a connection, then run by name: the server
/// parses and analyses it once for the session, where an unnamed statement is parsed and analysed on
/// every run (about a tenth of PostgreSQL's work for a push of a few events). Each run is still planned
/// for its values: the connection's sessions set `plan_cache_mode` to `force_custom_plan`, since a plan
/// made once for any value can read the whole log where the value's own plan reads an index. A text run
/// once, such as a script's or one spliced with values, is never prepared, and a connection prepares at
/// most ``limit`` texts.
struct PreparedStatements {
    /// The most texts a connection prepares.
    static let limit = 256
    /// The most texts remembered as run once, before they are forgotten to start again.
    private static let seenLimit = 4 * limit

    private var names: [String: String] = [:]
    private var seen: Set<String> = []

    /// The name `text` is prepared under, if it is.
    func name(of text: String) -> String? { names[text] }

    /// Whether `text` should be prepared now: it ran before on this session, and there is room.
    mutating func shouldPrepare(_ text: String) -> Bool {
        guard names.count < Self.limit else { return false }
        if seen.remove(text) != nil { return true }
        if seen.count >= Self.seenLimit { seen.removeAll() }
        seen.insert(text)
        return false
    }

    /// Notes that `text` is prepared on the session; returns the name to prepare it under.
    mutating func add(_ text: String) -> String {
        let name = "fieldsync_\(names.count + 1)"
        names[text] = name
        return name
    }

    /// Forgets the text last added, which the server did not prepare.
    mutating func remove(_ text: String) {
        names[text] = nil
    }

    /// Forgets every statement: the session they were prepared on has ended.
    mutating func removeAll() {
        names.removeAll()
        seen.removeAll()
    }
}
