import Testing

@testable import FieldSyncModel

@Suite struct TimestampTests {
    @Test func parsesOffsetsAndFractions() throws {
        let karachi = try #require(Timestamp(rfc3339: "2024-02-08T08:00:00+05:00"))
        let utc = try #require(Timestamp(rfc3339: "2024-02-08T03:00:00Z"))
        #expect(karachi == utc)
        #expect(Timestamp(rfc3339: "2024-02-08T03:00:00.5Z")?.microseconds == utc.microseconds + 500_000)
        #expect(Timestamp.offsetMinutes(inRFC3339: "2024-02-08T08:00:00+05:00") == 300)
        #expect(utc.rfc3339UTC == "2024-02-08T03:00:00.000000Z")
        #expect(utc.rfc3339(offsetMinutes: 300) == "2024-02-08T08:00:00+05:00")
    }

    @Test(arguments: [
        "2024-02-30T00:00:00Z", "2024-02-08 03:00:00Z", "2024-02-08T03:00:00", "2024-02-08T24:00:00Z",
        "2024-02-08T03:00:00.1234567Z", "2024-02-08T03:00:00+5:00", "2024-02-08T03:00:60Z", "",
    ])
    func rejectsMalformedTimes(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func roundTripsAcrossCenturies() {
        for micros: Int64 in [0, -1, 1, 951_782_400_000_000, -62_135_596_800_000_000, 4_102_444_800_123_456] {
            let time = Timestamp(microseconds: micros)
            #expect(Timestamp(rfc3339: time.rfc3339UTC) == time)
        }
    }
}
