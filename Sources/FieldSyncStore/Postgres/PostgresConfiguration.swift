import CLibPQ

/// Where and how to connect to PostgreSQL.
///
/// Built from a `postgresql://` URL, a libpq keyword string, or parts. The password is kept only to
/// make the connection: ``description`` and every error message leave it out.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// libpq connection keywords and their values (`host`, `port`, `user`, `password`, `dbname`, …).
    private(set) var options: [String: String]

    /// Parses a `postgresql://user:password@host:port/database?…` URL or a libpq keyword string.
    public init(url: String) throws(PostgresError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(url, &errorMessage) else {
            let reason = errorMessage.map { String(cString: $0) } ?? "not a PostgreSQL connection URL"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(
                code: .badConnectionURL,
                message: "the database URL is not valid: \(Self.scrub(reason.trimmingWhitespace(), url: url)); "
                    + "expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { options[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        if let port = options["port"],
            !port.split(separator: ",").allSatisfy({ Int($0).map { 1...65535 ~= $0 } ?? false })
        {
            throw PostgresError(
                code: .badConnectionURL,
                message: "the database URL's port '\(port)' is not a number from 1 to 65535; "
                    + "expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        self.options = options
    }

    /// A configuration from its parts.
    public init(host: String, port: Int, user: String, password: String?, database: String) {
        options = ["host": host, "port": String(port), "user": user, "dbname": database]
        if let password { options["password"] = password }
    }

    /// The same server and credentials, another database.
    public func with(database: String) -> PostgresConfiguration {
        var copy = self
        copy.options["dbname"] = database
        return copy
    }

    /// The name the server shows for our connections in `pg_stat_activity`.
    public func with(applicationName: String) -> PostgresConfiguration {
        var copy = self
        copy.options["application_name"] = applicationName
        return copy
    }

    public var database: String { options["dbname"] ?? user }
    public var user: String { options["user"] ?? "postgres" }
    public var host: String { options["host"] ?? options["hostaddr"] ?? "localhost" }
    public var port: Int { options["port"].flatMap { Int($0) } ?? 5432 }

    /// `postgresql://user@host:port/database`, without the password.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    var password: String? { options["password"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Removes the password from a message, should libpq ever repeat it.
    func scrub(_ message: String) -> String {
        Self.scrub(message, password: password)
    }

    private static func scrub(_ message: String, password: String?) -> String {
        guard let password, !password.isEmpty else { return message }
        return message.replacing(password, with: "********")
    }

    private static func scrub(_ message: String, url: String) -> String {
        // The URL did not parse, so find a password the way a reader would: between "user:" and "@".
        guard let scheme = url.firstRange(of: "://"), let at = url[scheme.upperBound...].lastIndex(of: "@"),
            let colon = url[scheme.upperBound..<at].firstIndex(of: ":")
        else { return message }
        return scrub(message, password: String(url[url.index(after: colon)..<at]))
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
