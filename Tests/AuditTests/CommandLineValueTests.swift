import FieldSyncClient
import FieldSyncModel
import FieldSyncTally
import Testing

/// Values typed on the command line: cutoffs and credentials.
@Suite struct CommandLineValueTests {
    @Test func cutoffsAreAPositionOrATime() {
        #expect(TallyCutoff(text: "1200") == .position(1200))
        #expect(TallyCutoff(text: "0") == .position(0))
        let time = TallyCutoff(text: "2024-02-08T17:00:00+05:00")
        #expect(time == .observedAtOrBefore(Timestamp(rfc3339: "2024-02-08T12:00:00Z")!))
        #expect(time?.query == "asOf=2024-02-08T12:00:00.000000Z")
        #expect(time?.jsonValue == ["time": "2024-02-08T12:00:00.000000Z"])
        #expect(TallyCutoff.position(7).query == "position=7")
        #expect(TallyCutoff(text: "yesterday") == nil)
        #expect(TallyCutoff(text: "-3") == nil)
        #expect(TallyCutoff(text: "") == nil)
        #expect(TallyCutoff(text: "99999999999999999999") == nil)
    }

    @Test func credentialsComeFromOptionsThenTheEnvironmentThenAProfile() throws {
        let environment = ["FIELDSYNC_SERVER": "http://env:8080/", "FIELDSYNC_TOKEN": "env-token"]
        let fromOptions = try ReadCredentials.resolve(
            server: "https://news.example/", token: "t1", environment: environment)
        #expect(fromOptions.server == "https://news.example" && fromOptions.token == "t1")
        let fromEnvironment = try ReadCredentials.resolve(server: nil, token: nil, environment: environment)
        #expect(fromEnvironment.server == "http://env:8080" && fromEnvironment.token == "env-token")
        let profile = try ReadCredentials(server: "http://profile:1", token: "p")
        let fromProfile = try ReadCredentials.resolve(server: nil, token: nil, environment: [:], profile: profile)
        #expect(fromProfile == profile)
        let profileServer = try ReadCredentials.resolve(
            server: "http://profile:1/", token: nil, environment: [:], profile: profile)
        #expect(profileServer == profile)
        #expect(throws: CredentialsProblem.self) {
            try ReadCredentials.resolve(server: "http://elsewhere:1", token: nil, environment: [:], profile: profile)
        }
        #expect(throws: CredentialsProblem.self) {
            try ReadCredentials.resolve(server: nil, token: "t", environment: [:])
        }
        #expect(throws: CredentialsProblem.self) {
            try ReadCredentials.resolve(server: "http://x", token: nil, environment: [:])
        }
        #expect(throws: CredentialsProblem.self) { try ReadCredentials(server: "ftp://x", token: "t") }
        #expect(throws: CredentialsProblem.self) { try ReadCredentials(server: "http://x", token: " ") }
    }
}
