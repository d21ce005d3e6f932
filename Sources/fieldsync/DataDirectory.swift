import Foundation

/// Where `fieldsync serve` keeps its data when not told, and which database it uses.
enum DataDirectory {
    /// `--database-url`, else `$FIELDSYNC_DATABASE_URL`: a service manager passes the URL, with its
    /// password, in the environment, where other users' `ps` cannot read it.
    static func databaseURL(_ option: String?) -> String? {
        option ?? environment("FIELDSYNC_DATABASE_URL")
    }

    /// The owner role's URL for `fieldsync migrate`: `--database-url`, else `$FIELDSYNC_OWNER_DATABASE_URL`
    /// (a variable of its own, so that the server's environment never holds the owner's password).
    static func ownerDatabaseURL(_ option: String?) -> String? {
        option ?? environment("FIELDSYNC_OWNER_DATABASE_URL")
    }

    private static func environment(_ name: String) -> String? {
        let value = ProcessInfo.processInfo.environment[name]
        return value?.isEmpty == false ? value : nil
    }

    static var serverDefault: String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["FIELDSYNC_DATA_DIR"], !folder.isEmpty { return folder }
        if geteuid() == 0 { return "/var/lib/fieldsync" }
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() + "/.local/share")
        return dataHome + "/fieldsync"
    }
}
