import Foundation
import PipelineKafka

/// A `tributary broker` child with its own state directory, for commands that need a broker of their own
/// (`bench`, `up`): started, waited for until it publishes its address, and stopped by PID.
struct LocalBrokerProcess: Sendable {
    let child: ChildProcess
    let address: LocalBrokerAddress
    let stateDirectory: String

    /// Starts the broker and waits (up to 30 s) for its address file.
    static func start(
        partitions: Int, stateDirectory: String, logLevel: String = "warning",
        standardError: ChildProcess.Output = .inherit
    ) async throws -> LocalBrokerProcess {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let environment = ["TRIBUTARY_STATE_DIR": stateDirectory]
        let child = try ChildProcess(
            name: "broker", executable: SiblingExecutable.path("tributary"),
            arguments: [
                "broker", "--partitions", "\(partitions)", "--state-dir", stateDirectory, "--metrics-port", "0",
                "--log-level", logLevel,
            ],
            standardOutput: .discard, standardError: standardError)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while clock.now < deadline {
            if let address = LocalBrokerAddress.read(environment: environment), address.pid == child.pid {
                return LocalBrokerProcess(child: child, address: address, stateDirectory: stateDirectory)
            }
            if let code = child.exitCode { throw ToolError("the local broker exited with \(code) before it was ready") }
            try await Task.sleep(for: .milliseconds(50))
        }
        await child.stop(grace: .seconds(2))
        throw ToolError("the local broker did not publish its address within 30 s")
    }

    /// Asks the control API to create a topic (the mock cluster does not answer CreateTopics).
    func createTopic(_ name: String, partitions: Int) async throws {
        try await ControlClient(address: address.controlAddress).post("/topics?name=\(name)&partitions=\(partitions)")
    }

    func stop() async {
        await child.stop(grace: .seconds(10))
    }
}

/// A plain error with a message for the operator.
struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
