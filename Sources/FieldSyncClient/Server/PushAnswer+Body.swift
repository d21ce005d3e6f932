import FieldSyncModel

extension PushAnswer {
    /// Reads a 200 answer: the results with `Codable`; the receipt, which is signed, with the strict
    /// parser, kept member for member as the server wrote it.
    init(body: [UInt8]) throws(ServerAPIError) {
        let results: [PushResult]
        do {
            results = try ClientJSON.decode(Results.self, from: body).results
        } catch {
            throw .badAnswer("the push answer cannot be read: \(error)")
        }
        guard let receipt = Self.receipt(in: body) else { throw .badAnswer("the push answer has no receipt") }
        self.init(results: results, receipt: receipt)
    }
}
