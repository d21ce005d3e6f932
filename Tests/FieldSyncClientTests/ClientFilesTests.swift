import FieldSyncClient
import FieldSyncModel
import FieldSyncTestSupport
import Foundation
import Testing

/// The client's own files: what an earlier release wrote still loads, and is written back byte for byte.
@Suite struct ClientFilesTests {
    /// `profile.json` as `fieldsync init` wrote it before the profile was `Codable` (canonical JSON, one line).
    static let releasedProfile = """
        {"device":"3097e2dee2cb4a34b538","election":"karachi-2024","enrolledAt":17,"name":"Sana Baloch — ثناء",\
        "role":"reporter","server":"https://fieldsync.example.org/newsroom","serverKey":\
        "6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw","serverName":"FieldSync Karachi","token":\
        "Kx8_Yq2/0vT+w==","tokenExpires":"2024-02-11T08:00:00.000000Z","version":1}

        """

    /// `sync-state.json` as `fieldsync sync` wrote it before the state was `Codable`.
    static let releasedState = """
        {"conflicts":[{"detail":"the server holds another event under seq 5","existingPosition":41,\
        "id":"018d8a3e-0000-7000-8000-000000000005","reason":"same-id-other-content","seq":5}],\
        "lastAttempt":"2024-02-08T12:00:00.000000Z","lastMessage":"Sync stopped: a conflict at seq 5.\\nSee status.",\
        "lastOutcome":"conflict","lastSync":"2024-02-08T11:00:00.000000Z","receiptedSeq":4,"receipts":2,\
        "referenceETag":"\\"ref-7\\"","referenceFetched":"2024-02-08T07:00:00.000000Z","refused":[{"errors":[\
        {"allowed":"a station of the reference data","code":"unknown-station","field":"subject",\
        "problem":"NA-999-001 is not a polling station"}],"id":"018d8a3e-0000-7000-8000-000000000006","seq":6}],\
        "serverHash":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","serverSeq":4}

        """

    static func home(with files: [String: String] = [:]) throws -> ClientHome {
        let home = ClientHome(path: try makeTemporaryDirectory("fieldsync-files") + "/home")
        try ProfileStore(home: home).makeHome()
        for (name, text) in files { try DurableFile.replace(home.path + "/" + name, with: Array(text.utf8)) }
        return home
    }

    @Test func aProfileWrittenByTheLastReleaseLoadsAndIsWrittenBackWithoutItsElectionID() throws {
        let home = try Self.home(with: ["profile.json": Self.releasedProfile])
        let profile = try ProfileStore(home: home).profile()
        #expect(profile.device.rawValue == "3097e2dee2cb4a34b538")
        #expect(profile.name == "Sana Baloch — ثناء")
        #expect(profile.role == .reporter)
        #expect(profile.server == "https://fieldsync.example.org/newsroom")
        #expect(profile.serverKey.base64URL == "6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw")
        #expect(profile.serverName == "FieldSync Karachi")
        #expect(profile.token == "Kx8_Yq2/0vT+w==")
        #expect(profile.tokenExpires == Timestamp(rfc3339: "2024-02-11T13:00:00+05:00"))
        #expect(profile.enrolledAt == 17)
        // The release named the election by id; the definition comes with the next sync.
        #expect(profile.election == nil)

        let copy = try Self.home()
        try ProfileStore(home: copy).save(profile)
        #expect(
            String(decoding: try #require(try DurableFile.contents(of: copy.profile)), as: UTF8.self)
                == Self.releasedProfile.replacingOccurrences(of: #""election":"karachi-2024","#, with: ""))
    }

    @Test func aProfileKeepsTheElectionItFetched() throws {
        var profile = ClientFixture.profile
        profile.election = KarachiDemo.election
        let home = try Self.home()
        try ProfileStore(home: home).save(profile)
        let loaded = try ProfileStore(home: home).profile()
        #expect(loaded.election == KarachiDemo.election)
        #expect(loaded.calendar == KarachiDemo.election.calendar)
    }

    @Test func aProfileFromBeforeTokenLifetimesAndElectionsLoads() throws {
        let early = """
            {"device":"3097e2dee2cb4a34b538","enrolledAt":3,"name":"R","role":"reporter",\
            "server":"http://127.0.0.1:8080","serverKey":"6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw",\
            "token":"t","version":1}
            """
        let profile = try ProfileStore(home: try Self.home(with: ["profile.json": early])).profile()
        #expect(profile.tokenExpires == nil)
        #expect(profile.serverName == "")
        #expect(profile.election == nil)
    }

    @Test func aDamagedProfileNamesTheMemberThatIsWrong() throws {
        for (text, expected) in [
            (
                #"{"device":"3097e2dee2cb4a34b538","name":"R","role":"reporter","server":"s","token":"t","enrolledAt":1}"#,
                "serverKey is missing"
            ),
            (
                #"{"device":"nope","name":"R","role":"reporter","server":"s","token":"t","enrolledAt":1,"serverKey":"x"}"#,
                "device: 'nope' is not a device id: 20 lowercase hex digits"
            ),
            (
                #"{"device":"3097e2dee2cb4a34b538","name":"R","role":"boss","server":"s","token":"t","enrolledAt":1}"#,
                "role: 'boss' is not a role: one of reporter"
            ),
            (
                #"{"device":"3097e2dee2cb4a34b538","name":"R","role":"reporter","server":"s","token":"t","enrolledAt":"1","#
                    + #""serverKey":"6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw"}"#, "enrolledAt is not an integer"
            ),
            ("{\"device\":", "not JSON"),
        ] {
            let home = try Self.home(with: ["profile.json": text])
            let error = try #require(throws: ProfileError.self) { try ProfileStore(home: home).profile() }
            #expect(error.description.hasPrefix("\(home.profile) is damaged: "), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test func aSyncStateWrittenByTheLastReleaseLoadsAndIsWrittenBackTheSame() throws {
        let home = try Self.home(with: ["sync-state.json": Self.releasedState])
        let state = try SyncState.load(home: home)
        #expect(state.serverSeq == 4)
        #expect(state.serverHash == SHA256Digest.hash("x"))
        #expect(state.receiptedSeq == 4)
        #expect(state.receipts == 2)
        #expect(state.lastSync == Timestamp(rfc3339: "2024-02-08T11:00:00Z"))
        #expect(state.lastOutcome == "conflict")
        #expect(state.lastMessage == "Sync stopped: a conflict at seq 5.\nSee status.")
        #expect(state.referenceETag == "\"ref-7\"")
        #expect(
            state.conflicts == [
                SyncConflict(
                    seq: 5, id: "018d8a3e-0000-7000-8000-000000000005", reason: .answered(.sameIDOtherContent),
                    existingPosition: 41, detail: "the server holds another event under seq 5")
            ])
        #expect(
            state.refused == [
                RefusedEvent(
                    seq: 6, id: "018d8a3e-0000-7000-8000-000000000006",
                    errors: [
                        FieldError(
                            field: "subject", code: .unknownStation, problem: "NA-999-001 is not a polling station",
                            allowed: "a station of the reference data")
                    ])
            ])

        let copy = try Self.home()
        try state.save(home: copy)
        #expect(
            String(decoding: try #require(try DurableFile.contents(of: copy.syncState)), as: UTF8.self)
                == Self.releasedState)
    }

    @Test func aMissingOrEmptySyncStateIsAFreshOne() throws {
        #expect(try SyncState.load(home: try Self.home()) == SyncState())
        #expect(try SyncState.load(home: try Self.home(with: ["sync-state.json": "{}"])) == SyncState())
        let home = try Self.home(with: ["sync-state.json": #"{"serverSeq":"four"}"#])
        let error = try #require(throws: ProfileError.self) { try SyncState.load(home: home) }
        #expect(error.description.contains("serverSeq is not an integer"), "\(error)")
        #expect(error.description.contains("remove it, and the next sync rebuilds it"))
    }
}
