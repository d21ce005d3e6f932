import FieldSyncModel
import Testing

@Suite struct CSVWriterTests {
    @Test func whatIsWrittenReadsBackFieldForField() throws {
        let rows: [[String?]] = [
            ["plain", nil, "a, comma", "say \"hi\""],
            ["line\nbreak", "cr\r\nlf", " padded ", "ٹرن آؤٹ"],
            ["-5", "=SUM(A1:A2)", "+1 guess", "@here"],
        ]
        var writer = CSVWriter(header: ["a", "b", "c", "d"])
        for row in rows { writer.append(row) }
        #expect(writer.text.hasPrefix("a,b,c,d\r\n"))
        #expect(writer.text.hasSuffix("\r\n"))
        let records = try CSVReader(skipsBlankLines: false).records(writer.text)
        #expect(
            records.map(\.fields) == [
                ["a", "b", "c", "d"],
                ["plain", "", "a, comma", "say \"hi\""],
                ["line\nbreak", "cr\r\nlf", " padded ", "ٹرن آؤٹ"],
                // A number stays a number; anything a spreadsheet would run as a formula does not start the field.
                ["-5", "'=SUM(A1:A2)", "'+1 guess", "'@here"],
            ])
    }
}
