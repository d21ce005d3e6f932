import FieldSyncModel
import Foundation

/// What a witness keeps between runs, in its state folder: the server key it pinned (`server-key`, base64url),
/// the last head it cosigned (`head.json`, the server's signed head in canonical JSON) and, in `evidence/`,
/// every pair of heads it found that no honest log can show.
///
/// One folder watches one log, whatever address serves it: the same folder used against two servers that
/// share a key and show different logs catches the fork.
public struct WitnessState: Sendable {
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    var serverKeyPath: String { (folder as NSString).appendingPathComponent("server-key") }
    var headPath: String { (folder as NSString).appendingPathComponent("head.json") }
    public var evidenceFolder: String { (folder as NSString).appendingPathComponent("evidence") }

    /// The server key pinned on the first run; nil before it.
    public func pinnedServerKey() throws -> PublicKey? {
        guard let bytes = try DurableFile.contents(of: serverKeyPath) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = PublicKey(base64URL: text) else {
            throw WitnessStateError("\(serverKeyPath) does not hold a public key: remove the folder to start again")
        }
        return key
    }

    /// Pins `key` for the runs to come.
    public func pin(_ key: PublicKey) throws {
        try DurableFile.makeFolder(folder)
        try DurableFile.replace(serverKeyPath, with: Array((key.base64URL + "\n").utf8))
    }

    /// The last head cosigned, with its signed document; nil before the first. It must be signed by `key`.
    public func lastHead(signedBy key: PublicKey) throws -> (head: TreeHead, object: [String: JSONValue])? {
        guard let bytes = try DurableFile.contents(of: headPath) else { return nil }
        guard let object = (try? JSONParser.parse(bytes))?.objectValue, let head = TreeHead(signed: object, by: key)
        else {
            throw WitnessStateError("\(headPath) is not a tree head signed by the pinned server key")
        }
        return (head, object)
    }

    /// Keeps `object`, a signed head, as the last one cosigned.
    public func keepHead(_ object: [String: JSONValue]) throws {
        try DurableFile.makeFolder(folder)
        try DurableFile.replace(headPath, with: CanonicalJSON.bytes(.object(object)) + [0x0a])
    }

    /// Writes `evidence` (a JSON object) to a new file in `evidence/`; its path.
    public func keepEvidence(_ evidence: JSONValue, kind: String) throws -> String {
        try DurableFile.makeFolder(folder)
        try DurableFile.makeFolder(evidenceFolder)
        let stamp = ReporterClock.stamp()
        var path = (evidenceFolder as NSString).appendingPathComponent("\(stamp)-\(kind).json")
        var number = 1
        while DurableFile.exists(path) {
            number += 1
            path = (evidenceFolder as NSString).appendingPathComponent("\(stamp)-\(kind)-\(number).json")
        }
        try DurableFile.create(path, with: Array(PrettyJSON.string(evidence).utf8), mode: 0o644)
        return path
    }
}

/// The witness's state folder cannot be used.
public struct WitnessStateError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
