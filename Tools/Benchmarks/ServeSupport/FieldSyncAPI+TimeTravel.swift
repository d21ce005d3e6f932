import BenchmarkSupport

extension FieldSyncAPI {
    /// Asks for the city tally at each of `queries` (`position=…` or `asOf=…`), one after the other, as
    /// `token`; the time each answer took, in seconds, shortest first. Any answer but 200 is a failure.
    public func timeTravelLatencies(_ queries: [String], token: String) async throws -> [Double] {
        let clock = ContinuousClock()
        var latencies: [Double] = []
        for query in queries {
            let started = clock.now
            let answer = try await get("/v1/tallies?" + query, token: token)
            latencies.append(seconds(clock.now - started))
            guard answer.status == 200 else { throw BenchmarkFailure("GET ?\(query): \(answer.status) \(answer.text)") }
        }
        return latencies.sorted()
    }
}
