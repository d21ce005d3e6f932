import Testing

@testable import FieldSyncServer

@Suite struct ConnectionPhaseTests {
    @Test func aConnectionIsUnderTheHeaderThenBodyThenNoThenIdleTimeout() {
        var phase = ConnectionPhase()
        #expect(phase.timeout == .header)
        phase.readHead()
        #expect(phase.timeout == .body)
        phase.readEnd()
        // Answering takes as long as it takes: an export, a live stream.
        #expect(phase.timeout == nil)
        phase.wroteEnd()
        #expect(phase.timeout == .idle)
        phase.readHead()
        #expect(phase.timeout == .body)
        phase.readEnd()
        phase.wroteEnd()
        #expect(phase.timeout == .idle)
    }

    @Test func pipelinedRequestsWaitForEveryAnswer() {
        var phase = ConnectionPhase()
        phase.readHead()
        phase.readEnd()
        phase.readHead()
        #expect(phase.timeout == .body)
        phase.readEnd()
        phase.wroteEnd()
        #expect(phase.timeout == nil)
        phase.wroteEnd()
        #expect(phase.timeout == .idle)
    }

    @Test func anAnswerBeforeTheBodyEndsLeavesTheBodyTimeout() {
        var phase = ConnectionPhase()
        phase.readHead()
        phase.wroteEnd()
        #expect(phase.timeout == .body)
        phase.readEnd()
        #expect(phase.timeout == .idle)
    }
}
