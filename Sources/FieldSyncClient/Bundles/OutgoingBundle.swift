import FieldSyncModel

/// What `fieldsync bundle create` carries of a reporter's home: every event the server has not
/// acknowledged with a receipt (after ``SyncState/receiptedSeq``), and the photos those events name that
/// the server is not known to hold.
public enum OutgoingBundle {
    /// The bundle of `log`'s unacknowledged events; nil when the server has receipts for all of them.
    /// Throws when a photo an event names is no longer in the profile's photo folder.
    public static func make(log: LocalLog, state: SyncState) throws -> EventBundle? {
        let events = log.entries.lazy.map(\.event).filter { $0.seq > state.receiptedSeq }
        guard !events.isEmpty else { return nil }
        let folder = PhotoFolder(home: log.home)
        let sent = try folder.sent()
        var photos = [BundlePhoto]()
        for named in NamedPhoto.named(in: Array(events)) where !sent.contains(named.photo.sha256) {
            guard let bytes = try folder.bytes(of: named.photo.sha256),
                let photo = try? BundlePhoto(bytes: bytes), photo.sha256 == named.photo.sha256
            else {
                throw ProfileError(
                    "the photo \(named.photo.sha256.hex) of seq \(named.seq) is not (or no longer) in \(log.home.photos)"
                )
            }
            photos.append(photo)
        }
        return try EventBundle(events: Array(events), photos: photos)
    }
}
