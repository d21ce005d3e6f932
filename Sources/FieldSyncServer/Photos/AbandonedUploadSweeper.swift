import FieldSyncModel
import FieldSyncStore
import Logging
import ServiceLifecycle

/// Removes the pieces of photo uploads abandoned for ``ServerConfiguration/abandonedPhotoUploadAge``
/// (`serve --photo-upload-expires`), once at start and then every ``interval``: a device that never came
/// back to finish a photo leaves no bytes behind for ever. A device that does come back later asks what
/// the server holds (nothing) and sends the photo from byte 0. Stored photos are never touched: the
/// server's role may delete upload pieces (`photo_parts`) and never photos (migration 0008).
struct AbandonedUploadSweeper: Service {
    let photos: PhotoStore
    let age: Duration
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await photos.removeAbandonedPieces(olderThan: age)
                    if !removed.isEmpty {
                        logger.info(
                            "removed the pieces of abandoned photo uploads",
                            metadata: ["photos": "\(removed.map(\.hex))"])
                    }
                } catch {
                    logger.warning("cannot remove abandoned photo upload pieces; will retry: \(error)")
                }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return  // cancelled
                }
            }
        }
    }
}
