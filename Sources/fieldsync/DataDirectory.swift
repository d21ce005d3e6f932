import Foundation

/// Where `fieldsync serve` keeps its data when not told.
enum DataDirectory {
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
