import FieldSyncModel
import Testing

/// RFC 4180 as written, the options people and spreadsheets need, and every problem with its line and field.
@Suite struct CSVReaderTests {
    let reader = CSVReader()

    func fields(_ text: String, _ reader: CSVReader = CSVReader()) throws -> [[String]] {
        try reader.records(text).map(\.fields)
    }

    @Test func quotedFieldsHoldSeparatorsQuotesAndLineBreaks() throws {
        let text = "name,party,votes\n\"Khan, Imran\",\"PTI \"\"independent\"\"\",\"1,210\"\n\"two\nlines\",,\"\"\n"
        let records = try reader.records(text)
        #expect(
            records.map(\.fields) == [
                ["name", "party", "votes"], ["Khan, Imran", "PTI \"independent\"", "1,210"], ["two\nlines", "", ""],
            ])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test func crlfLfAndLoneCrEndRecordsAndLinesAreCounted() throws {
        let records = try reader.records("a,b\r\nc,d\ne,f\rg,\"h\r\ni\"\r\nj,k")
        #expect(records.map(\.fields) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h\r\ni"], ["j", "k"]])
        #expect(records.map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test func aByteOrderMarkIsDroppedAndTheHeaderNamesTheColumns() throws {
        let table = try reader.table("\u{FEFF}Station,Candidate,Votes\r\nNA-235-001,NA-235-C01,210\r\n")
        #expect(table.header == ["Station", "Candidate", "Votes"])
        #expect(table.column("votes") == 2)
        #expect(table.column(" candidate ") == 1)
        #expect(table.column("seat") == nil)
        #expect(table.rows == [CSVRecord(fields: ["NA-235-001", "NA-235-C01", "210"], line: 2)])
    }

    @Test func spacesAreKeptUnlessTrimmedAndBlankLinesSkippedUnlessAsked() throws {
        #expect(throws: CSVProblems.self) { try reader.records(" a , \"b\" \n") }
        #expect(try fields(" a ,b\n\nc,d\n") == [[" a ", "b"], ["c", "d"]])
        #expect(try fields(" a , \"b, c\" \n", CSVReader(trimsSpaces: true)) == [["a", "b, c"]])
        #expect(try fields("a\n\nb\n", CSVReader(skipsBlankLines: false)) == [["a"], [""], ["b"]])
        #expect(try fields("\"\"\n") == [[""]])
    }

    @Test func otherSeparatorsAndComments() throws {
        let reader = CSVReader(separators: [",", ";", "\t"], trimsSpaces: true, commentPrefix: "#")
        #expect(
            try fields("# a note, with a comma\nC01;210\nC02\t180\n  # indented note\n\"C;03\",5\n", reader) == [
                ["C01", "210"], ["C02", "180"], ["C;03", "5"],
            ])
    }

    @Test func eachProblemIsNamedWithItsLineAndField() {
        let text = "a,b\nc,d\"e\nf,\"g\"h\ni,\"j\nk"
        let problems = #expect(throws: CSVProblems.self) { try reader.records(text) }
        #expect(problems?.problems.map(\.place) == ["line 2, field 2", "line 3, field 2", "line 4, field 2"])
        #expect(
            problems?.problems.map(\.problem) == [
                "a quote inside a field that does not start with one", "text after the closing quote",
                "a quoted field is not closed",
            ])
        #expect(
            problems?.description.split(separator: "\n").first?.hasPrefix("line 2, field 2: a quote inside") == true)
        #expect(problems?.problems.allSatisfy { !$0.allowed.isEmpty } == true)
    }

    @Test func aTableRowOfAnotherWidthIsNamed() {
        let problems = #expect(throws: CSVProblems.self) { try reader.table("a,b\n1,2\n3\n4,5,6\n") }
        #expect(problems?.problems.map(\.line) == [3, 4])
        #expect(
            problems?.problems.first?.description
                == "line 3: has 1 field (allowed: one for each of the 2 columns of the header on line 1)")
        #expect(throws: CSVProblems.self) { try reader.table("") }
    }

    @Test func bytesMustBeUTF8() throws {
        #expect(try reader.records(utf8: Array("a,ü\n".utf8)).map(\.fields) == [["a", "ü"]])
        let problems = #expect(throws: CSVProblems.self) {
            try reader.records(utf8: Array("a,b\nc,".utf8) + [0xff, 0x0a])
        }
        #expect(problems?.problems.map(\.place) == ["line 2"])
    }
}
