import ArgumentParser
import FieldSyncModel
import FieldSyncServer

/// `--stations` and `--seat`: what a reporter's device covers.
struct AssignmentOptions: ParsableArguments {
    @Option(
        name: .customLong("stations"), parsing: .singleValue,
        help: "Polling stations the reporter covers, comma-separated (NA-248-001,NA-248-002); may be repeated.")
    var stations: [String] = []

    @Option(
        name: .customLong("seat"), parsing: .singleValue,
        help: "A seat whose every station the reporter covers (NA-248, PS-125); comma-separated or repeated.")
    var seats: [String] = []

    var isEmpty: Bool { stations.isEmpty && seats.isEmpty }

    func validate() throws {
        _ = try assignment()
    }

    /// The assignment, or a one-line error naming the first code that is not one.
    func assignment() throws -> CodeAssignment {
        var assignment = CodeAssignment()
        for text in stations.flatMap({ $0.split(separator: ",") }) {
            guard let code = StationCode(text.trimmingPrefix(" ")) else {
                throw ValidationError("--stations: '\(text)' is not a station code such as NA-248-017")
            }
            assignment.stations.append(code)
        }
        for text in seats.flatMap({ $0.split(separator: ",") }) {
            guard let code = ConstituencyCode(text.trimmingPrefix(" ")) else {
                throw ValidationError("--seat: '\(text)' is not a seat code such as NA-248 or PS-125")
            }
            assignment.constituencies.append(code)
        }
        return assignment
    }
}
