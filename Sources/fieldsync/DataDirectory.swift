import Foundation

/// Where `fieldsync serve` keeps its data when not told, and which database it uses.
enum DataDirectory {
    /// `--database-url`, else `$FIELDSYNC_DATABASE_URL`: a service manager passes the URL, with its
    /// password, in the environment, where other users' `ps` cannot read it.
    static func databaseURL(_ option: String?) -> String? {
        if let option { return option }
        let url = ProcessInfo.processInfo.environment["FIELDSYNC_DATABASE_URL"]
        return url?.isEmpty == false ? url : nil
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
