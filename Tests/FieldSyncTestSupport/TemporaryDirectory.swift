import Foundation

/// A fresh folder under the system's temporary folder, readable by the unprivileged PostgreSQL user.
public func makeTemporaryDirectory(_ prefix: String = "fieldsync") throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())").path
    try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    return path
}
