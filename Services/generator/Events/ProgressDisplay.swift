import Glibc
import Logging
import PipelineRuntime

/// The generator's progress: a line redrawn in place on a terminal, periodic log lines otherwise.
struct ProgressDisplay: Sendable {
    let stats: GenerationStats
    let lagGate: LagGate?
    let logInterval: Duration
    let logger: Logger
    /// Whether stderr is a terminal (then the line is redrawn 4 times a second).
    let isTerminal = isatty(STDERR_FILENO) == 1

    /// Shows progress until cancelled, then ends the live line.
    func run() async {
        let clock = ContinuousClock()
        var last = (instant: clock.now, sent: 0)
        let interval = isTerminal ? Duration.milliseconds(250) : logInterval
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let now = clock.now
            let snapshot = stats.snapshot
            let seconds = last.instant.duration(to: now).secondsValue
            let rate = seconds > 0 ? Double(snapshot.sent - last.sent) / seconds : 0
            last = (now, snapshot.sent)
            show(snapshot, rate: rate)
        }
        if isTerminal { LogSink.standardError.write(Array("\n".utf8)) }
    }

    private func show(_ snapshot: GenerationStats.Snapshot, rate: Double) {
        let lag = lagGate?.lag
        if isTerminal {
            var line = "\r\u{1B}[2Kgenerator  rate \(NumberText.compact(rate))/s  sent \(NumberText.grouped(snapshot.sent))"
            line += "  acked \(NumberText.grouped(snapshot.acknowledged))  failed \(NumberText.grouped(snapshot.failed))"
            if let lag { line += "  lag \(NumberText.grouped(lag))" }
            LogSink.standardError.write(Array(line.utf8))
        } else {
            var metadata: Logger.Metadata = [
                "rate": "\(Int(rate.rounded()))", "sent": "\(snapshot.sent)", "acknowledged": "\(snapshot.acknowledged)",
                "failed": "\(snapshot.failed)",
            ]
            if let lag { metadata["kafka.lag"] = "\(lag)" }
            logger.info("progress", metadata: metadata)
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var secondsValue: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
