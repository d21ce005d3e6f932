/// What `POST /v1/events` answers with 200: `{device, results, receipt}`, a result per event of the
/// batch, in order, and the batch's ``Receipt`` signed by the server.
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

    public init(results: [PushResult], receipt: [String: JSONValue]?) {
        self.results = results
        self.receipt = receipt
    }

    /// The 200 answer to `device`'s push.
    public func jsonValue(device: DeviceID) -> JSONValue {
        var object: [String: JSONValue] = [
            "device": .string(device.rawValue), "results": .array(results.map(\.jsonValue)),
        ]
        if let receipt { object["receipt"] = .object(receipt) }
        return .object(object)
    }

    /// The results of an answer's body (the strict parser reads the receipt: see ``receipt(in:)``).
    public struct Results: Decodable {
        public var results: [PushResult]
    }

    /// The `receipt` object of an answer's body, read by the strict parser; nil if there is none.
    public static func receipt(in body: [UInt8]) -> [String: JSONValue]? {
        guard case .object(let receipt)? = (try? JSONParser.parse(body))?["receipt"] else { return nil }
        return receipt
    }
}
