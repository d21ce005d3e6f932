import Testing

@testable import FieldSyncTally
