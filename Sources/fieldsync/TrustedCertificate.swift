import FieldSyncClient
import Foundation

/// The certificate file `init --ca-certificate` was given, kept in the profile (mode 0600) so that every
/// later `sync` trusts the same server certificate.
enum TrustedCertificate {
    static func keep(_ path: String, in home: ClientHome) throws {
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ServerCertificateError(path: path, problem: "cannot be read (\(error.localizedDescription))")
        }
        let kept = home.serverCertificate
        guard FileManager.default.createFile(atPath: kept, contents: contents, attributes: [.posixPermissions: 0o600])
        else { throw ServerCertificateError(path: kept, problem: "cannot be written") }
    }
}
