/// What `POST /v1/events` answers with 200: `{device, results, receipt, proof}`, a result per event of the
/// batch, in order, the batch's ``Receipt`` signed by the server, and the ``ReceiptProof`` that its events
/// are in a signed tree head (none from a server older than the proofs).
///
/// A batch none of whose events is valid is refused whole (422 `batch-invalid`): the same results, all
/// `invalid`, come in the problem's `results` (``ProblemDetails/results``), and there is no receipt since
/// nothing was stored.
///
/// Written by ``jsonValue``. Read by the client with `Decodable` for the results and the strict parser for
/// the receipt, whose signature covers exactly the members the server wrote.
public struct PushAnswer: Sendable {
    public var results: [PushResult]
    /// The signed receipt object, member for member; nil when the batch was refused whole.
    public var receipt: [String: JSONValue]?
    /// The receipt's ``ReceiptProof``, as written; nil when there is none.
    public var proof: JSONValue?

    public init(results: [PushResult], receipt: [String: JSONValue]?, proof: JSONValue? = nil) {
        self.results = results
        self.receipt = receipt
        self.proof = proof
    }

    /// The 200 answer to `device`'s push.
    public func jsonValue(device: DeviceID) -> JSONValue {
        var object: [String: JSONValue] = [
            "device": .string(device.rawValue), "results": .array(results.map(\.jsonValue)),
        ]
        if let receipt { object["receipt"] = .object(receipt) }
        if let proof { object["proof"] = proof }
        return .object(object)
    }

    /// The results of an answer's body (the strict parser reads the receipt: see ``receiptAndProof(in:)``).
    public struct Results: Decodable {
        public var results: [PushResult]
    }

    /// The `receipt` object of an answer's body, read by the strict parser; nil if there is none.
    public static func receipt(in body: [UInt8]) -> [String: JSONValue]? {
        receiptAndProof(in: body).receipt
    }

    /// The `receipt` object and the `proof` of an answer's body, read by the strict parser (one pass).
    public static func receiptAndProof(in body: [UInt8]) -> (receipt: [String: JSONValue]?, proof: JSONValue?) {
        let json = try? JSONParser.parse(body)
        return (json?["receipt"]?.objectValue, json?["proof"])
    }
}
