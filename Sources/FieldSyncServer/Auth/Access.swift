import FieldSyncModel

/// Who may call an endpoint.
enum Access: Sendable, Hashable {
    /// Anyone: no credentials are asked for (enrollment, which carries its code; health).
    case open
    /// A device enrolled with one of these roles. Admins may call everything that asks for a device.
    case roles(Set<DeviceRole>)

    static let anyDevice = Set(DeviceRole.allCases)

    /// Whether a device of `role` may call.
    func allows(_ role: DeviceRole) -> Bool {
        switch self {
        case .open: true
        case .roles(let roles): role == .admin || roles.contains(role)
        }
    }

    /// The roles allowed, in words, for messages and the OpenAPI document.
    var description: String {
        switch self {
        case .open: "anyone"
        case .roles(let roles):
            (DeviceRole.allCases.filter { roles.contains($0) || $0 == .admin }).map(\.rawValue).joined(separator: ", ")
        }
    }
}
