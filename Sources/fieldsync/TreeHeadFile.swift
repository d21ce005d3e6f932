import FieldSyncModel
import Foundation

/// A signed tree head saved to a file (the body of `GET /v1/tree/head`), for `audit verify --tree-head`:
/// its members as read, and the size it claims before its signature is checked.
struct TreeHeadFile {
    let path: String
    let object: [String: JSONValue]
    let size: Int64

    /// Reads the file; a ``UsageProblem`` unless it holds a JSON object with a `size`.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsageProblem("cannot read \(path) (allowed: a readable file with a signed tree head)")
        }
        guard let object = (try? JSONParser.parse(Array(data)))?.objectValue, object["type"] == .string(TreeHead.type),
            let size = object["size"]?.integerValue, size >= 0
        else {
            throw UsageProblem(
                "\(path) is not a signed tree head (allowed: the JSON of GET /v1/tree/head, type \(TreeHead.type))")
        }
        self.path = path
        self.object = object
        self.size = size
    }

    /// The head, signed by `key`, or when nil by the key it names in `publicKey`; nil when it is not.
    func head(signedBy key: PublicKey?) -> TreeHead? {
        guard let key = key ?? object["publicKey"]?.stringValue.flatMap(PublicKey.init(base64URL:)) else { return nil }
        return TreeHead(signed: object, by: key)
    }

    /// The finding for a head not signed by the log's server key.
    var unsigned: String { "the tree head in \(path) is not signed by the server key of the log" }

    /// What is wrong with the head against a verified log, signed by `key` and cosigned as `witnesses`
    /// requires; nil when it is the log's.
    func problem(with log: VerifiedLog, key: PublicKey?, witnesses: WitnessPolicy? = nil) -> String? {
        guard let key, let head = TreeHead(signed: object, by: key) else {
            return unsigned
        }
        if let witnesses, let problem = witnesses.problem(with: object, serverKey: key) {
            return "\(problem) (\(path))"
        }
        guard head.size <= log.lastPosition, let root = log.treeRoot else {
            return "the tree head in \(path) covers \(head.size) events; the export holds \(log.lastPosition)"
        }
        guard root == head.root else {
            return "the tree head in \(path) has root \(head.root.hex) for \(head.size) events; the export's "
                + "first \(head.size) events make \(root.hex): the server showed another log"
        }
        return nil
    }
}
