import Testing

@testable import FieldSyncModel

@Suite struct KarachiDemoTests {
    static let demo = KarachiDemo()

    @Test func seatsMatchTheFacts() {
        let national = Self.demo.constituencies.filter { $0.assembly == .national }
        let provincial = Self.demo.constituencies.filter { $0.assembly == .provincial }
        #expect(national.map(\.code.number) == Array(229...250))
        #expect(provincial.map(\.code.number) == Array(84...130))
        #expect(provincial.allSatisfy { $0.synthetic })
        #expect(Self.demo.constituencies.first { $0.code.rawValue == "NA-248" }?.name == "Karachi Central-II")
    }

    @Test func stationsAndVotersAddUp() {
        let demo = Self.demo
        #expect(demo.stations.count == 5342)
        #expect(Set(demo.stations.map(\.code)).count == 5342)
        #expect(demo.stations.allSatisfy { $0.synthetic && $0.name.hasSuffix("(synthetic)") })
        #expect(demo.stations.allSatisfy { $0.voters.total >= $0.voters.male + $0.voters.female })
        #expect(demo.stations.map(\.voters.total).reduce(0, +) == 9_286_241)
        let byCode = Dictionary(uniqueKeysWithValues: demo.constituencies.map { ($0.code, $0) })
        for district in KarachiFacts.districts {
            let total = demo.stations.filter { byCode[$0.national]!.district == district.name }.map(\.voters.total)
                .reduce(0, +)
            #expect(total == district.registeredVoters, "\(district.name)")
        }
        let na235 = demo.stations.filter { $0.national.number == 235 }
        #expect(na235.count == 96)
        #expect(na235.map(\.voters.total).reduce(0, +) == 170_176)
        #expect(demo.stations.filter { $0.national.number == 248 }.map(\.voters.total).reduce(0, +) == 599_811)
        for station in demo.stations {
            #expect(byCode[station.national]!.district == byCode[station.provincial!]!.district)
        }
        #expect(Set(demo.stations.map(\.provincial)).count == 47)
    }

    @Test func candidatesStandForTheNamedParties() {
        let national = Self.demo.candidates.filter { $0.constituency.assembly == .national }
        #expect(national.count == 581)
        #expect(Set(national.map(\.constituency)).count == 22)
        let provincial = Self.demo.candidates.filter { $0.constituency.assembly == .provincial }
        #expect(Set(provincial.map(\.constituency)).count == 47)
        let allowed = Set(KarachiFacts.parties + KarachiFacts.backingParties)
        #expect(Self.demo.candidates.allSatisfy { $0.party.map(allowed.contains) ?? true })
        #expect(Self.demo.candidates.allSatisfy { $0.synthetic && $0.name.hasSuffix("(synthetic)") })
        for code in Set(national.map(\.constituency)) {
            let here = national.filter { $0.constituency == code }
            #expect(here.contains { $0.affiliation == .independent(backedBy: "PTI") })
        }
    }

    @Test func draftsComeInOrderAndAreDeterministic() {
        let drafts = Self.demo.referenceDrafts()
        #expect(drafts.count == 1 + 69 + 5342 + Self.demo.candidates.count)
        #expect(drafts.first?.data == KarachiDemo.election.jsonValue)
        let firstStation = drafts.firstIndex { $0.type == .stationDefined }!
        let firstCandidate = drafts.firstIndex { $0.type == .candidateDefined }!
        #expect(drafts[1..<firstStation].allSatisfy { $0.type == .constituencyDefined })
        #expect(drafts[firstStation..<firstCandidate].allSatisfy { $0.type == .stationDefined })
        #expect(drafts[firstCandidate...].allSatisfy { $0.type == .candidateDefined })
        #expect(KarachiDemo().referenceDrafts() == drafts)
        #expect(KarachiDemo(seed: 1).referenceDrafts() != drafts)
        // Made a range at a time, as a server stores them: the same drafts, across every kind's boundary.
        #expect(Self.demo.referenceDraftCount == drafts.count)
        for range in [0..<1, 0..<3, firstStation - 2..<firstStation + 2, firstCandidate - 1..<drafts.count] {
            #expect(Self.demo.referenceDrafts(range) == Array(drafts[range]), "\(range)")
        }
        let batches = stride(from: 0, to: drafts.count, by: 1000).flatMap {
            Self.demo.referenceDrafts($0..<min($0 + 1000, drafts.count))
        }
        #expect(batches == drafts)
    }

    @Test func signedLogValidatesEventByEvent() throws {
        let key = try SigningKey(rawRepresentation: [UInt8](repeating: 1, count: 32))
        let events = Self.demo.serverEvents(key: key, name: "FieldSync demo")
        var validator = EventValidator(reference: ReferenceData())
        for event in events {
            #expect(validator.validate(event).isEmpty, "\(event.subject)")
            #expect(validator.verifySignature(of: event) == nil)
            var reference = validator.reference
            reference.apply(event)
            validator.reference = reference
        }
        #expect(
            validator.reference
                == {
                    var reference = Self.demo.referenceData
                    reference.apply(.serverIdentified(ServerIdentity(publicKey: key.publicKey, name: "FieldSync demo")))
                    return reference
                }())
        #expect(Self.demo.serverEvents(key: key, name: "FieldSync demo").map(\.hash) == events.map(\.hash))
    }
}
