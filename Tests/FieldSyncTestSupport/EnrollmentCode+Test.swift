import FieldSyncModel
import FieldSyncServer

extension FieldSyncServer {
    /// A one-time code for `role`, as `fieldsync admin enroll` makes it. A reporter's code assigns the
    /// device to every National Assembly seat the log defines (so that it counts wherever it reports),
    /// unless `assignment` is given. The device's token lives `tokenSeconds` (nil: the server's default).
    public func testCode(
        _ role: DeviceRole, name: String = "Test Person", seconds: Int64 = 3600, assignment: CodeAssignment? = nil,
        tokenSeconds: Int64? = nil
    ) async throws -> EnrollmentCode {
        var chosen = assignment ?? CodeAssignment()
        if role == .reporter && assignment == nil {
            let reference = try await reference.refresh().data
            chosen.constituencies = reference.constituencies.keys.filter { $0.assembly == .national }.sorted()
        }
        return try await issueCode(
            role: role, name: name, validForSeconds: seconds, assignment: chosen, tokenLifetimeSeconds: tokenSeconds,
            by: "the tests"
        ).code
    }
}
