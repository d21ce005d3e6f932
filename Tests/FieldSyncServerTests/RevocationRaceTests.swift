import FieldSyncModel
import FieldSyncServer
import FieldSyncStore
import FieldSyncTestSupport
import Logging
import NIOHTTP1
import Testing

/// `fieldsync admin revoke` racing pushes of the device it revokes: the revocation is appended by another
/// process (here, a second server on the same database, as the command runs one), while the device's
/// batches are on their way. Whatever the timing, no event of a device is stored after its revocation,
/// and the server's export verifies as `fieldsync audit verify` checks it.
@Suite struct RevocationRaceTests {
    static let rounds = 24
    static let devices = 3
    static let revoked = 2
    static let batches = 4
    static let batchSize = 250

    @Test func pushesRacingARevocationAreNeverStoredAfterIt() async throws {
        var refusedUnderTheLock = 0
        for round in 0..<Self.rounds {
            refusedUnderTheLock += try await TestServer.with { server in
                try await Self.race(on: server, round: round)
            }
        }
        // For the record (timing decides): how many batches only the check under the append lock refused.
        print(
            "RevocationRaceTests: \(refusedUnderTheLock) batches refused under the append lock in \(Self.rounds) rounds"
        )
    }

    /// One round on a fresh log; returns how many batches were refused by the check under the lock.
    static func race(on server: TestServer, round: Int) async throws -> Int {
        var logger = Logger(label: "fieldsync.admin")
        logger.logLevel = .warning
        let adminPool = PostgresPool(configuration: await server.server.pool.configuration, maximumConnections: 2)
        do {
            let admin = try await FieldSyncServer.prepare(
                pool: adminPool, events: EventStore(pool: adminPool), key: server.server.author.key, logger: logger)
            let refused = try await race(on: server, revokingWith: admin, round: round)
            await adminPool.close()
            return refused
        } catch {
            await adminPool.close()
            throw error
        }
    }

    static func race(on server: TestServer, revokingWith admin: FieldSyncServer, round: Int) async throws -> Int {
        var enrolled = [TestDevice]()
        for index in 0..<devices { enrolled.append(try await server.enroll(name: "Reporter \(index + 1)")) }
        let reporters = enrolled
        let bodies = reporters.map { reporter in
            var reporter = reporter
            return (0..<Self.batches).map { batch in
                TestDevice.batch(
                    (0..<batchSize).map { reporter.nextTurnout(votes: $0, minute: batch * batchSize + $0) })
            }
        }

        let outcomes = try await withThrowingTaskGroup(of: (Int, [HTTPAnswer]).self) { group in
            for (index, reporter) in reporters.enumerated() {
                group.addTask {
                    var answers = [HTTPAnswer]()
                    for body in bodies[index] {
                        let answer = try await HTTP.send(
                            .POST, server.url + "/v1/events", token: reporter.token, body: body,
                            contentType: "application/cloudevents-batch+json")
                        answers.append(answer)
                        if answer.status != 200 { break }
                    }
                    return (index, answers)
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...400)))
                try await withThrowingTaskGroup(of: Void.self) { revocations in
                    for reporter in reporters.prefix(revoked) {
                        revocations.addTask { try await admin.revoke(reporter.device, reason: "round \(round)") }
                    }
                    try await revocations.waitForAll()
                }
                return (-1, [])
            }
            var outcomes = [Int: [HTTPAnswer]]()
            for try await (index, answers) in group where index >= 0 { outcomes[index] = answers }
            return outcomes
        }

        var underTheLock = 0
        for (index, answers) in outcomes {
            for answer in answers where answer.status != 200 {
                answer.expectProblem(
                    403, "device-revoked", mentioning: ["\(reporters[index].device)"], "round \(round)")
                #expect(index < revoked, "round \(round): a device not revoked was refused")
                if answer.object["detail"]?.stringValue?.contains("before its batch could be stored") == true {
                    underTheLock += 1
                }
            }
        }

        // No event of a revoked device after its revocation…
        let positions = try await server.server.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT r.subject, r.position, (SELECT max(e.position) FROM events e WHERE e.device_id = r.subject)
                FROM events r WHERE r.type = \(EventType.deviceRevoked.rawValue)
                """
            ).map {
                (
                    try $0.decode(String.self, column: 0), try $0.decode(Int64.self, column: 1),
                    try $0.decode(Int64?.self, column: 2)
                )
            }
        }
        #expect(positions.count == revoked)
        for (device, revokedAt, last) in positions {
            #expect(
                (last ?? 0) < revokedAt,
                "round \(round): device \(device) has an event at \(last ?? 0), after its revocation at \(revokedAt)")
        }
        // …and the export verifies from its first line to the signed head.
        let auditor = try await server.enroll(.auditor, sendKey: false)
        let export = try await HTTP.get(server.url + "/v1/events", token: auditor.token)
        let head = try await HTTP.get(server.url + "/v1/chain/head", token: auditor.token)
        #expect(export.status == 200 && head.status == 200)
        var verification = ExportVerification()
        var broken: LogBreak?
        for line in export.lines + [try #require(SignedChainHead(bytes: head.body)).line] where broken == nil {
            broken = verification.read(line: line)
        }
        broken = broken ?? verification.finish()
        #expect(broken == nil, "round \(round): the export breaks: \(broken.map { "\($0)" } ?? "")")
        return underTheLock
    }
}
