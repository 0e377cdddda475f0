import PipelineAlerting
import PipelineMessages
import PipelineRuntime

/// Renders a ``PipelineSnapshot`` for people (a table) or scripts (JSON).
enum StatusPrinter {
    static func table(_ snapshot: PipelineSnapshot) -> String {
        var lines = [
            "Tributary status at \(TimeText.iso(snapshot.timeMs))", "",
            row(["stage", "alive", "in/s", "out/s", "lag msgs", "lag s", "dead letters", "alerts"]),
        ]
        for stage in snapshot.stages {
            lines.append(
                row([
                    stage.name, "\(stage.instancesAlive)", rate(stage.inPerSecond), rate(stage.outPerSecond),
                    "\(stage.lagMessages)", JSONText.number(stage.lagSeconds, digits: 1), "\(stage.deadLetters)",
                    "\(stage.openAlerts)",
                ]))
        }
        lines.append("")
        if snapshot.alerts.isEmpty {
            lines.append("no open alerts")
        } else {
            lines.append("open alerts:")
            for alert in snapshot.alerts {
                lines.append("  [\("\(alert.severity)".uppercased())] \(alert.key): \(alert.summary)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ snapshot: PipelineSnapshot) -> String {
        let stages = snapshot.stages.map { stage in
            "{\"stage\":\(JSONText.quoted(stage.name)),\"instances_alive\":\(stage.instancesAlive),"
                + "\"in_per_second\":\(JSONText.number(stage.inPerSecond, digits: 1)),"
                + "\"out_per_second\":\(JSONText.number(stage.outPerSecond, digits: 1)),"
                + "\"lag_messages\":\(stage.lagMessages),\"lag_seconds\":\(JSONText.number(stage.lagSeconds, digits: 3)),"
                + "\"dead_letters\":\(stage.deadLetters),\"open_alerts\":\(stage.openAlerts),"
                + "\"groups\":[\(stage.groups.map(\.group).map(JSONText.quoted).joined(separator: ","))]}"
        }
        let groups = snapshot.groups.map { lag in
            "{\"group\":\(JSONText.quoted(lag.group)),\"topic\":\(JSONText.quoted(lag.topic)),"
                + "\"lag_messages\":\(lag.messages),\"lag_seconds\":\(JSONText.number(lag.seconds, digits: 3)),"
                + "\"has_offsets\":\(lag.hasOffsets),\"partitions\":["
                + lag.partitions.map { partition in
                    "{\"partition\":\(partition.partition),\"committed\":\(partition.committed.map(String.init) ?? "null"),"
                        + "\"high\":\(partition.high),\"lag_messages\":\(partition.messages),"
                        + "\"lag_seconds\":\(JSONText.number(partition.seconds, digits: 3))}"
                }.joined(separator: ",") + "]}"
        }
        let alerts = snapshot.alerts.map { alert in
            "{\"key\":\(JSONText.quoted(alert.key)),\"severity\":\(JSONText.quoted("\(alert.severity)")),"
                + "\"source\":\(JSONText.quoted(alert.source)),\"summary\":\(JSONText.quoted(alert.summary)),"
                + "\"time_ms\":\(alert.timeMs)}"
        }
        return "{\"time_ms\":\(snapshot.timeMs),\"stages\":[\(stages.joined(separator: ","))],"
            + "\"groups\":[\(groups.joined(separator: ","))],\"alerts\":[\(alerts.joined(separator: ","))]}"
    }

    private static func rate(_ value: Double) -> String { JSONText.number(value, digits: 0) }

    private static func row(_ cells: [String]) -> String {
        let widths = [18, 6, 10, 10, 10, 8, 13, 6]
        return zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined()
    }
}
