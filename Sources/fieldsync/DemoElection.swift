import ArgumentParser
import FieldSyncModel

/// The demo `fieldsync serve --demo` loads.
enum DemoElection: String, CaseIterable, ExpressibleByArgument {
    /// Karachi 2024: 22 NA and 47 PS seats, 5,342 stations.
    case karachi
    /// Pakistan 2024: 266 NA and 593 provincial seats, 90,675 stations, all synthetic but the facts.
    case pakistan

    var demo: any ElectionDemo {
        switch self {
        case .karachi: KarachiDemo()
        case .pakistan: PakistanDemo()
        }
    }

    /// For the line printed after loading: "Karachi 2024".
    var title: String { self == .karachi ? "Karachi 2024" : "Pakistan 2024" }
}
