import Foundation

/// The PostgreSQL server programs the embedded cluster runs: `initdb` and `postgres`.
public struct PostgresBinaries: Sendable {
    /// The folder holding `initdb` and `postgres`.
    public var directory: String

    public var initdb: String { directory + "/initdb" }
    public var postgres: String { directory + "/postgres" }

    /// Finds the server programs: `pg_config --bindir`, then `/usr/lib/postgresql/<newest>/bin`, then `PATH`.
    ///
    /// - Parameter searchPaths: folders to search instead of those places (for tests and packagers).
    public static func locate(searchPaths: [String]? = nil) throws(EmbeddedPostgresError) -> PostgresBinaries {
        let candidates = searchPaths ?? defaultCandidates()
        for directory in candidates where isServerDirectory(directory) {
            return PostgresBinaries(directory: directory)
        }
        let searched =
            searchPaths ?? ["pg_config --bindir", "/usr/lib/postgresql/*/bin", "PATH"]
        throw .binariesNotFound(searched: searched)
    }

    private static func isServerDirectory(_ directory: String) -> Bool {
        let files = FileManager.default
        return files.isExecutableFile(atPath: directory + "/initdb")
            && files.isExecutableFile(atPath: directory + "/postgres")
    }

    private static func defaultCandidates() -> [String] {
        var candidates: [String] = []
        if let bindir = pgConfigBindir() { candidates.append(bindir) }
        let installed = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: installed)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("\(installed)/\(version)/bin")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        candidates += path.split(separator: ":").map(String.init)
        return candidates
    }

    private static func pgConfigBindir() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard
            let pgConfig = path.split(separator: ":").map({ "\($0)/pg_config" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        guard let run = try? ChildProcess.output(of: pgConfig, ["--bindir"]), run.termination == .exited(0)
        else { return nil }
        return run.output.trimmingWhitespace()
    }
}
