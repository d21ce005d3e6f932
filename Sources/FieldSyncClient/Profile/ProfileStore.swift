import FieldSyncModel

/// Reads and writes the profile and the device key in a home, with the modes they need.
public struct ProfileStore: Sendable {
    public let home: ClientHome

    public init(home: ClientHome) {
        self.home = home
    }

    /// Whether the home holds a profile already.
    public var exists: Bool { DurableFile.exists(home.profile) || DurableFile.exists(home.deviceKey) }

    /// The profile, or a message saying how to make one.
    public func profile() throws -> Profile {
        guard let bytes = try DurableFile.contents(of: home.profile) else {
            throw ProfileError(
                "no FieldSync profile in \(home): run `fieldsync init --server URL --code CODE` first"
                    + " (or give --home, or set FIELDSYNC_HOME)")
        }
        do {
            return try ClientJSON.decode(Profile.self, from: bytes)
        } catch {
            throw ProfileError("\(home.profile) is damaged: \(error)")
        }
    }

    /// The device's signing key.
    public func deviceKey() throws -> SigningKey {
        guard let bytes = try DurableFile.contents(of: home.deviceKey) else {
            throw ProfileError("the device key \(home.deviceKey) is missing: without it this device cannot sign")
        }
        do {
            return try SigningKey(pemRepresentation: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw ProfileError("the device key \(home.deviceKey) cannot be read: \(error)")
        }
    }

    /// Makes the home folder (0700) if needed.
    public func makeHome() throws {
        try DurableFile.makeFolder(home.path, mode: 0o700)
    }

    /// Writes a new device key (0600); fails if one exists.
    public func createDeviceKey(_ key: SigningKey) throws {
        try DurableFile.create(home.deviceKey, with: Array(key.pemRepresentation.utf8), mode: 0o600)
    }

    /// Writes the profile (0600), replacing it atomically.
    public func save(_ profile: Profile) throws {
        try DurableFile.replace(home.profile, with: try ClientJSON.encode(profile) + [0x0a], mode: 0o600)
    }

    /// Moves every file of the current profile into `replaced/<stamp>/`, so that `init --force` never
    /// loses a log. Returns the folder they went to, or nil if there was nothing to move.
    public func moveAside(stamp: String) throws -> String? {
        let present = home.profileFiles.filter { DurableFile.exists($0) }
        guard !present.isEmpty else { return nil }
        let folder = home.path + "/replaced/" + stamp
        try DurableFile.makeFolder(folder, mode: 0o700)
        for file in present {
            let name = file.split(separator: "/").last.map(String.init) ?? file
            try DurableFile.move(file, to: folder + "/" + name)
        }
        return folder
    }
}
