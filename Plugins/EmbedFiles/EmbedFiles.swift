import Foundation
import PackagePlugin

/// Embeds files that live outside a target's sources into the target as Swift string literals,
/// so that the `fieldsync` binary carries its own SQL migrations and dashboard assets and needs
/// no resource bundle beside it.
///
/// What is embedded is decided by the target:
/// - `FieldSyncStore`: `Schema/migrations/*.sql`, and `Deploy/postgresql-events-guard.sql`, which the
///   embedded cluster installs as its superuser
/// - `FieldSyncServer`: `Sources/FieldSyncServer/Dashboard/Assets/*` and `Schema/openapi.yaml`
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let inputs: [URL]
        switch target.name {
        case "FieldSyncStore":
            inputs =
                try files(in: root.appending(path: "Schema/migrations"), extension: "sql")
                + [root.appending(path: "Deploy/postgresql-events-guard.sql")]
        case "FieldSyncServer":
            let assets = try files(in: target.directoryURL.appending(path: "Dashboard/Assets"), extension: nil)
            let openAPI = root.appending(path: "Schema/openapi.yaml")
            let hasOpenAPI = FileManager.default.fileExists(atPath: openAPI.path)
            inputs = assets + (hasOpenAPI ? [openAPI] : [])
        default:
            return []
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func files(in directory: URL, extension wanted: String?) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .filter { wanted == nil || $0.pathExtension == wanted }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
