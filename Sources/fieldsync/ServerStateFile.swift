import FieldSyncModel
import FieldSyncStore
import Foundation

/// `<data-dir>/server.json`: written by a running `fieldsync serve`, removed when it stops. It says
/// where the API is and, with the embedded cluster, where its database listens (host, port, user,
/// database: the server's role; the password stays in the data folder's password file for that role),
/// so that `fieldsync admin` finds them.
struct ServerStateFile: Sendable {
    static let fileName = "server.json"

    var api: String
    var processID: Int32
    /// The embedded cluster's database, without its password; nil with `--database-url`.
    var database: PostgresConfiguration?

    static func path(in dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent(fileName)
    }

    func write(in dataDirectory: String) throws {
        var object: [String: JSONValue] = ["api": .string(api), "pid": .integer(Int64(processID))]
        if let database {
            object["database"] = [
                "host": .string(database.host), "port": .integer(Int64(database.port)),
                "user": .string(database.user), "database": .string(database.database),
            ]
        }
        let path = Self.path(in: dataDirectory)
        let temporary = path + ".tmp"
        let created = FileManager.default.createFile(
            atPath: temporary, contents: Data(CanonicalJSON.bytes(.object(object)) + [0x0a]),
            attributes: [.posixPermissions: 0o600])
        guard created, rename(temporary, path) == 0 else { throw ServerStateError("cannot write \(path)") }
    }

    static func remove(in dataDirectory: String) {
        try? FileManager.default.removeItem(atPath: path(in: dataDirectory))
    }

    /// The file of a server using `dataDirectory`, if there is one. The database password is read from
    /// the cluster's password file for the recorded role.
    static func read(in dataDirectory: String) -> ServerStateFile? {
        guard let data = FileManager.default.contents(atPath: path(in: dataDirectory)),
            case .object(let object)? = try? JSONParser.parse(Array(data)),
            case .string(let api)? = object["api"], case .integer(let pid)? = object["pid"]
        else { return nil }
        var database: PostgresConfiguration?
        if case .object(let db)? = object["database"], case .string(let host)? = db["host"],
            case .integer(let port)? = db["port"], case .string(let user)? = db["user"],
            case .string(let name)? = db["database"]
        {
            database = PostgresConfiguration(
                host: host, port: Int(port), user: user,
                password: EmbeddedPostgres.storedPassword(of: user, in: dataDirectory), database: name)
        }
        return ServerStateFile(api: api, processID: Int32(truncatingIfNeeded: pid), database: database)
    }
}

struct ServerStateError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
