import Testing

@testable import FieldSyncStore
