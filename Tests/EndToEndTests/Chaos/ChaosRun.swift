import BigtableTestSupport
import Foundation
import SalesforceModel

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The pipeline of a chaos run, started and ready for the load: a three-broker local cluster, the emulator, the
/// Salesforce simulator after the full extraction, the webhook, and every service; and the fault injection.
final class ChaosRun: Sendable {
    let broker: BrokerProcess
    let emulator: ChaosEmulator
    let simulator: SimulatorProcess
    let webhook: ChaosWebhook
    let processes: ChaosProcesses
    let environment: [String: String]
    let log: ChaosLog
    let tap: ChaosTap
    static let brokers: Int32 = 3

    private init(
        broker: BrokerProcess, emulator: ChaosEmulator, simulator: SimulatorProcess, webhook: ChaosWebhook,
        processes: ChaosProcesses, environment: [String: String], log: ChaosLog, tap: ChaosTap
    ) {
        self.broker = broker
        self.emulator = emulator
        self.simulator = simulator
        self.webhook = webhook
        self.processes = processes
        self.environment = environment
        self.log = log
        self.tap = tap
    }

    deinit { emulator.stop() }

    static func start(plan: ChaosPlan, org: SalesforceOrg, latenessMs: Int64, log: ChaosLog) async throws -> ChaosRun {
        let broker = try await BrokerProcess(partitions: plan.partitions, brokers: Int(brokers))
        let tap = try ChaosTap(client: broker.client, logger: broker.logger)
        let emulator = try await ChaosEmulator.start()
        let simulator = try await SimulatorProcess(org: org.configuration)
        let webhook = try ChaosWebhook()
        let environment = broker.environment.merging([
            "BIGTABLE_EMULATOR_HOST": emulator.hostPort, "BIGTABLE_PROJECT": "p", "BIGTABLE_INSTANCE": "i",
            "SALESFORCE_API_BASE_URL": simulator.baseURL, "SALESFORCE_CLIENT_ID": "tributary-extractor",
            "SALESFORCE_CLIENT_SECRET": "tributary-secret", "SALESFORCE_REQUEST_TIMEOUT": "2s",
            // Frequent heartbeats, so a killed instance is reported within seconds.
            "HEARTBEAT_INTERVAL": "0.5",
            // Compressed batches: the local broker's retention (about 5 MiB per partition) then holds several
            // times more records, which a consumer restarting under faults may still need.
            "KAFKA_COMPRESSION_CODEC": "lz4",
        ]) { $1 }
        let commands: [String: @Sendable () throws -> Spawned] = [
            "transformer": { try Spawned("transformer", ["--metrics-port", "0"], environment: environment) },
            "bigtable-writer": { try Spawned("bigtable-writer", ["--metrics-port", "0", "--create-tables"], environment: environment) },
            "aggregator": {
                try Spawned(
                    "aggregator", ["--metrics-port", "0", "--create-tables", "--allowed-lateness", "\(latenessMs)ms"],
                    environment: environment)
            },
            "extractor": { try Spawned("extractor", ["run", "--poll-interval", "1h", "--metrics-port", "0"], environment: environment) },
            "cdc-router": { try Spawned("cdc-router", ["--metrics-port", "0", "--batch-size", "20"], environment: environment) },
            "alerting": {
                try Spawned(
                    "alerting",
                    [
                        "--metrics-port", "0", "--heartbeat-timeout", "3s", "--webhook-spacing", "100ms", "--max-backoff", "2s",
                        "--dead-letter-ratio", "0.01", "--dead-letter-window", "10s",
                    ],
                    environment: environment.merging(["ALERTING_WEBHOOK_URL": webhook.baseURL + "/hook"]) { $1 })
            },
        ]
        let processes = ChaosProcesses(log: log, commands: commands)
        let run = ChaosRun(
            broker: broker, emulator: emulator, simulator: simulator, webhook: webhook, processes: processes,
            environment: environment, log: log, tap: tap)

        // The Salesforce starting point, undisturbed: the full extraction at the base time, then the extractor as a
        // service (for the CDC gaps' re-reads) and the org moved to the end of its window.
        for service in ["bigtable-writer", "aggregator", "transformer", "cdc-router", "alerting"] { try processes.start(service) }
        let full = try Spawned("extractor", ["once"], environment: environment)
        guard await full.exitCode(within: .seconds(120)) == 0 else { throw TestFailure("full extraction: \(full.stderr.suffix(3000))") }
        try processes.start("extractor")
        guard await processes.current("extractor")!.waitForLog("extraction pass finished", within: .seconds(90)) else {
            throw TestFailure("extractor run: \(processes.stderr("extractor"))")
        }
        try await simulator.setClock(org.configuration.endTimeMs)
        return run
    }

    // MARK: - Faults

    /// Runs every step at its moment (steps overlap: each is its own task); returns when the last has ended.
    func inject(_ steps: [ChaosPlan.Step]) async {
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for step in steps {
                group.addTask {
                    try? await Task.sleep(until: started.advanced(by: step.offset))
                    await self.perform(step.action)
                }
            }
        }
    }

    private func perform(_ action: ChaosAction) async {
        let at = log.elapsedSeconds
        switch action {
        case .kill(let service, let downFor):
            await processes.killAndRestart(service, downFor: downFor)
        case .brokerDown(let id, let hold):
            await held(action, detail: "broker \(id) for \(hold)", hold: hold, at: at,
                       on: "/faults/broker?id=\(id)&state=down", off: "/faults/broker?id=\(id)&state=up")
        case .latency(let id, let ms, let hold):
            await held(action, detail: "broker \(id) +\(ms) ms for \(hold)", hold: hold, at: at,
                       on: "/faults/rtt?id=\(id)&ms=\(ms)", off: "/faults/rtt?id=\(id)&ms=0")
        case .requestErrors(let api, let codes):
            let codeList = codes.map(String.init).joined(separator: ",")
            await held(action, detail: "errors \(codeList)", hold: nil, at: at,
                       on: "/faults/request-errors?api=\(api)&codes=\(codeList)", off: nil)
        case .leaderChange(let topic, let partition, let id):
            await held(action, detail: "\(topic)[\(partition)] → broker \(id)", hold: nil, at: at,
                       on: "/faults/leader?topic=\(topic)&partition=\(partition)&broker=\(id)", off: nil)
        case .emulatorFreeze(let hold):
            // SIGSTOP: every RPC hangs, as behind a network partition.
            let frozen = emulator.emulator
            frozen.pause()
            try? await Task.sleep(for: hold)
            frozen.resume()
            log.fault(action.kind, detail: "frozen for \(hold)", outcome: "resumed", at: at)
        case .emulatorRestart(let hold):
            do {
                let detail = try await emulator.restart(downFor: hold)
                log.fault(action.kind, detail: detail, outcome: "restarted", at: at)
            } catch {
                log.fault(action.kind, detail: "down for \(hold)", outcome: "restart failed: \(error)", ok: false, at: at)
            }
        case .simulatorFault(let fault):
            let body = #"{"fault":"\#(fault.rawValue)","count":3,"retryAfterSeconds":1,"delayMs":3000}"#
            do {
                try await simulator.control("POST", "/_sim/faults", body: body)
                log.fault(action.kind, detail: "next 3 responses", outcome: "armed", at: at)
            } catch {
                log.fault(action.kind, detail: "next 3 responses", outcome: "not armed: \(error)", ok: false, at: at)
            }
        case .webhookFault(let fault, let hold):
            webhook.set(fault)
            try? await Task.sleep(for: hold)
            webhook.set(nil)
            log.fault(action.kind, detail: "for \(hold)", outcome: "cleared", at: at)
        }
    }

    /// A broker fault through the control API, switched off again after `hold` when it has an `off` call.
    private func held(_ action: ChaosAction, detail: String, hold: Duration?, at: Double, on: String, off: String?) async {
        do {
            let (status, body) = try await broker.control("POST", on)
            guard status == 200 else {
                log.fault(action.kind, detail: detail, outcome: "refused: \(status) \(body)", ok: false, at: at)
                return
            }
            if let hold, let off {
                try? await Task.sleep(for: hold)
                let (status, body) = try await broker.control("POST", off)
                guard status == 200 else {
                    log.fault(action.kind, detail: detail, outcome: "not undone: \(status) \(body)", ok: false, at: at)
                    return
                }
                log.fault(action.kind, detail: detail, outcome: "undone", at: at)
            } else {
                log.fault(action.kind, detail: detail, outcome: "injected", at: at)
            }
        } catch {
            log.fault(action.kind, detail: detail, outcome: "control API failed: \(error)", ok: false, at: at)
        }
    }

    /// Whatever is still on when the window closes: all brokers up without latency, simulator and webhook healthy.
    func clearFaults() async {
        for id in 1...Self.brokers {
            _ = try? await broker.control("POST", "/faults/broker?id=\(id)&state=up")
            _ = try? await broker.control("POST", "/faults/rtt?id=\(id)&ms=0")
        }
        emulator.resume()
        try? await simulator.control("DELETE", "/_sim/faults")
        webhook.set(nil)
    }
}
