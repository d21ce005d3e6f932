import ServiceLifecycle

extension FieldSyncServer {
    /// What to run in one `ServiceGroup`: the follower that keeps the reference data current, the
    /// listener that wakes live streams, the sweeper of abandoned photo uploads, the `extra` services (the
    /// projector goes here), and the HTTP application last.
    ///
    /// A group shuts its services down in reverse order: on SIGTERM the application stops taking
    /// requests and lets those in flight finish first, then the others stop.
    public func services(application: some Service, extra: [any Service] = []) -> [any Service] {
        [
            ReferenceFollower(cache: reference, pool: pool, logger: logger), live, lastFold,
            AbandonedUploadSweeper(
                photos: photos, age: configuration.abandonedPhotoUploadAge,
                interval: configuration.abandonedPhotoUploadSweep, logger: logger),
        ] + extra + [application]
    }
}
