import FieldSyncClient
import Testing

@Suite struct SuggestionsTests {
    @Test func distanceCountsEdits() {
        // In half edits: three edits are 6, a swap of neighbours 1.
        #expect(Suggestions.distance(Array("kitten".utf8), Array("sitting".utf8)) == 6)
        #expect(Suggestions.distance(Array("".utf8), Array("abc".utf8)) == 6)
        #expect(Suggestions.distance(Array("NA-235-001".utf8), Array("NA-235-001".utf8)) == 0)
        #expect(Suggestions.distance(Array("NA-253-001".utf8), Array("NA-235-001".utf8)) == 1)
        // Past the limit it only says "more than the limit".
        #expect(Suggestions.distance(Array("aaaaaaaa".utf8), Array("bbbbbbbb".utf8), limit: 4) == 5)
    }

    @Test func nearestStationToATranspositionAndATypo() {
        let codes = ["NA-233-001", "NA-235-001", "NA-235-002", "NA-235-010", "NA-236-001", "NA-253-100"]
        // A swap of neighbours is the nearer slip.
        #expect(Suggestions.nearest(to: "NA-253-001", among: codes).first == "NA-235-001")
        #expect(Suggestions.nearest(to: "na-235-01", among: codes).prefix(2) == ["NA-235-001", "NA-235-010"])
    }

    @Test func nothingCloseMeansNoSuggestion() {
        #expect(Suggestions.nearest(to: "violence", among: ["low", "medium", "high"]).isEmpty)
        #expect(Suggestions.nearest(to: "", among: ["low"]).isEmpty)
    }

    @Test func aPrefixSuggestsTheWholeWord() {
        #expect(Suggestions.nearest(to: "incompl", among: ["complete", "incomplete"], limit: 1) == ["incomplete"])
    }

    @Test func anExactMatchIsNotSuggested() {
        #expect(Suggestions.nearest(to: "high", among: ["high", "high"]).isEmpty)
    }
}
