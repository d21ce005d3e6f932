import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

@Suite struct DeviceSetupTests {
    @Test func serverAddressesAreTidied() throws {
        #expect(try DeviceSetup.serverURL("http://127.0.0.1:8080/") == "http://127.0.0.1:8080")
        #expect(try DeviceSetup.serverURL("10.0.0.5:8080", insecureHTTP: true) == "http://10.0.0.5:8080")
        #expect(try DeviceSetup.serverURL("https://fieldsync.example/v1") == "https://fieldsync.example")
        #expect(throws: CredentialsProblem.self) { try DeviceSetup.serverURL("ftp://10.0.0.5") }
    }

    /// Plain http:// only to this machine, unless --insecure-http: the code and the token would travel in
    /// the clear.
    @Test func plainHTTPIsForThisMachineOnly() throws {
        for local in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "127.0.0.2:9"] {
            #expect(throws: Never.self) { try DeviceSetup.serverURL(local) }
        }
        for remote in ["http://10.0.0.5:8080", "10.0.0.5:8080", "http://127.0.0.1.example:80", "http://[::2]:80"] {
            let error = #expect(throws: CredentialsProblem.self) { try DeviceSetup.serverURL(remote) }
            #expect(error?.description.contains("--insecure-http") == true, "\(remote)")
            #expect(try DeviceSetup.serverURL(remote, insecureHTTP: true).hasPrefix("http://"))
        }
        #expect(try DeviceSetup.serverURL("https://fieldsync.example") == "https://fieldsync.example")
    }

    /// An existing profile is refused before the server is even asked, and nothing in it changes.
    @Test func anExistingProfileIsNotOverwrittenWithoutForce() async throws {
        let home = try ClientFixture.makeHome()
        let before = try DurableFile.contents(of: home.deviceKey)
        let setup = DeviceSetup(home: home, server: "http://127.0.0.1:9", code: "AAAA-BBBB", force: false)
        let error = await #expect(throws: ProfileError.self) {
            try await ServerAPI.withClient { client in try await setup.run(client: client) }
        }
        #expect(error?.description.contains("already holds a profile (device \(ClientFixture.profile.device)") == true)
        #expect(try DurableFile.contents(of: home.deviceKey) == before)
    }

    /// With --force but no server, the old profile stays where it was: it moves aside only once the new
    /// enrollment succeeded.
    @Test func aFailedForcedSetupKeepsTheOldProfile() async throws {
        let home = try ClientFixture.makeHome()
        let before = try DurableFile.contents(of: home.profile)
        let setup = DeviceSetup(
            home: home, server: "http://127.0.0.1:9", code: "K7QF-2M9X-4RTA-8HCV", force: true)
        await #expect(throws: ServerAPIError.self) {
            try await ServerAPI.withClient { client in try await setup.run(client: client) }
        }
        #expect(try DurableFile.contents(of: home.profile) == before)
        #expect(!DurableFile.exists(home.path + "/replaced"))
        #expect(!DurableFile.exists(home.deviceKey + ".pending"))
    }
}

@Suite struct Form45CSVTests {
    @Test func rowsCommentsAndTotals() throws {
        let csv = try Form45CSV.parse(
            "candidate,votes\nNA-235-C01, 210\n\n# second page\nC02;180\nrejected,12\nTotal,402\n", name: "f.csv"
        ).get()
        #expect(csv.votes.map(\.candidate) == ["NA-235-C01", "C02"])
        #expect(csv.votes.map(\.votes) == ["210", "180"])
        #expect(csv.votes.map(\.line) == [2, 5])
        #expect(csv.rejected == "12")
        #expect(csv.total == "402")
    }

    @Test func eachBadRowIsNamed() {
        guard case .failure(let failure) = Form45CSV.parse("NA-235-C01\nC02,1,2\n", name: "f.csv") else {
            Issue.record("accepted")
            return
        }
        #expect(failure.problems.map(\.field) == ["f.csv line 1", "f.csv line 2"])
    }

    /// As a spreadsheet saves it: a byte order mark, CRLF, every field quoted, empty columns at the end.
    @Test func quotedFieldsAndCRLFAsSpreadsheetsWriteThem() throws {
        let csv = try Form45CSV.parse(
            "\u{FEFF}\"Candidate\",\"Votes\",,\r\n\"NA-235-C01\",\"210\",,\r\n\"C02\" , \"180\"\r\n\"Rejected\",12\r\n",
            name: "f.csv"
        ).get()
        #expect(csv.votes.map(\.candidate) == ["NA-235-C01", "C02"])
        #expect(csv.votes.map(\.votes) == ["210", "180"])
        #expect(csv.votes.map(\.line) == [2, 3])
        #expect(csv.rejected == "12")
    }

    @Test func aBrokenQuoteIsNamedWithItsLineAndField() {
        guard case .failure(let failure) = Form45CSV.parse("C01,210\n\"C02,180\n", name: "f.csv") else {
            Issue.record("accepted")
            return
        }
        #expect(failure.problems.map(\.field) == ["f.csv line 2, field 1"])
        #expect(failure.problems.first?.problem == "a quoted field is not closed")
        guard case .failure(let comma) = Form45CSV.parse("C01,\"1,210\",3\n", name: "f.csv") else {
            Issue.record("accepted")
            return
        }
        #expect(comma.problems.first?.description.hasPrefix("f.csv line 1: \"C01,1,210,3\" is not two cells") == true)
    }
}

@Suite struct EventSummaryTests {
    @Test func linesInTheReportersWords() {
        let calendar = KarachiDemo.election.calendar
        let opened = Payload.stationOpened(
            StationOpened(
                openedAt: ObservedTime("2024-02-08T08:05:00+05:00")!, materialsComplete: false, staffPresent: true))
        #expect(EventSummary.line(opened, calendar: calendar) == "opened 08:05, materials incomplete, staff present")
        let late = Payload.stationClosed(StationClosed(closedAt: ObservedTime("2024-02-09T01:10:00+05:00")!))
        #expect(EventSummary.line(late, calendar: calendar) == "closed 2024-02-09 01:10")
        let agents = Payload.agentsObserved(PollingAgents(agents: ["PTI": .expelled, "PPP": .present]))
        #expect(EventSummary.line(agents, calendar: calendar) == "agents: PPP present, PTI expelled")
    }
}
