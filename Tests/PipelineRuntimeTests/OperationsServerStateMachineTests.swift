import Testing

@testable import PipelineRuntime

@Suite("OperationsServerStateMachine")
struct OperationsServerStateMachineTests {
    private let resources = OperationsServerStateMachine.Resources(
        listener: 3, wakeRead: 4, wakeWrite: 5, port: 9100, thread: ServerThread(handle: 0))

    @Test("start binds once, then reports the running port")
    func startOnce() {
        var machine = OperationsServerStateMachine()
        #expect(machine.start() == .bind)
        machine.started(self.resources)
        #expect(machine.port == 9100)
        #expect(machine.start() == .alreadyRunning(port: 9100))
    }

    @Test("stop hands back the resources exactly once and is final")
    func stopOnce() {
        var machine = OperationsServerStateMachine()
        _ = machine.start()
        machine.started(self.resources)
        #expect(machine.stop() == .wakeJoinAndClose(self.resources))
        #expect(machine.stop() == .none)
        #expect(machine.port == nil)
        #expect(machine.start() == .refuse)
    }

    @Test("stop before start leaves nothing to clean up and prevents a later start")
    func stopBeforeStart() {
        var machine = OperationsServerStateMachine()
        #expect(machine.stop() == .none)
        #expect(machine.start() == .refuse)
    }
}
