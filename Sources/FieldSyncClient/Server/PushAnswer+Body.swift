import FieldSyncModel

extension PushAnswer {
    /// Reads a 200 answer: the results with `Codable`; the receipt, which is signed, and its proof with
    /// the strict parser, kept member for member as the server wrote them.
    init(body: [UInt8]) throws(ServerAPIError) {
        let results: [PushResult]
        do {
            results = try ClientJSON.decode(Results.self, from: body).results
        } catch {
            throw .badAnswer("the push answer cannot be read: \(error)")
        }
        let (receipt, proof) = Self.receiptAndProof(in: body)
        guard let receipt else { throw .badAnswer("the push answer has no receipt") }
        self.init(results: results, receipt: receipt, proof: proof)
    }
}
