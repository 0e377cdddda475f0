import Glibc
import Logging
import PipelineRuntime

/// Puts the simulator on an ``OperationsServer`` (the runtime's small HTTP/1.1 server) of its own.
enum SimulatorServer {
    /// Binds `host:port` (0 = ephemeral) and routes `/services/*` and `/_sim/*` to the simulator.
    static func start(
        _ simulator: SalesforceSimulator, host: String, port: Int, metrics: MetricsRegistry, logger: Logger
    ) throws -> OperationsServer {
        // Salesforce accepts 16 KiB of URI and headers (then 414/431); long `Id IN (…)` queries need it.
        let server = OperationsServer(
            configuration: .init(host: host, port: port, limits: HTTPLimits(maxHeaderBytes: 16 * 1024)),
            metrics: metrics, logger: logger)
        for method in ["GET", "POST", "DELETE", "PATCH", "PUT"] {
            for path in ["/services/*", "/_sim/*"] {
                server.registerAsync(method: method, path: path) { request in await simulator.route(request) }
            }
        }
        try server.start()
        simulator.setInstanceURL("http://\(host):\(server.port ?? port)")
        return server
    }

    /// Writes the address atomically (temporary file, then rename), so a reader never sees half of it.
    static func writeAddress(_ address: String, to path: String) throws {
        let temporary = path + ".tmp.\(getpid())"
        guard let file = fopen(temporary, "w") else { throw SimulatorServerError(message: "cannot write \(path)") }
        fputs(address + "\n", file)
        fclose(file)
        guard rename(temporary, path) == 0 else { throw SimulatorServerError(message: "cannot rename to \(path)") }
    }
}

struct SimulatorServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
