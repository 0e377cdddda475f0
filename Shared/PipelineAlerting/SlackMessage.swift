import PipelineMessages
import PipelineRuntime

/// The body Slack-compatible incoming webhooks take: `text` (the fallback and notification line) and `blocks`.
public enum SlackMessage {
    /// The JSON body for a notification. Only the alert's own words go in: no payload data, no secrets.
    public static func body(for notification: AlertNotification) -> [UInt8] {
        let alert = notification.alert
        let icon: String
        switch (notification.kind, alert.severity) {
        case (.resolved, _): icon = ":white_check_mark:"
        case (_, .critical): icon = ":rotating_light:"
        case (_, .info): icon = ":information_source:"
        default: icon = ":warning:"
        }
        let state: String
        switch notification.kind {
        case .firing: state = "FIRING"
        case .reminder: state = "STILL FIRING"
        case .resolved: state = "RESOLVED"
        }
        let severity = "\(alert.severity)".uppercased()
        let title = "\(icon) [\(state)] \(alert.summary)"
        var context = "*key* `\(alert.key)` · *severity* \(severity) · *source* \(alert.source)"
        if notification.occurrences > 1 { context += " · \(notification.occurrences) reports" }
        for (name, value) in alert.labels.sorted(by: { $0.key < $1.key }) { context += " · *\(name)* \(value)" }
        var blocks = [
            #"{"type":"section","text":{"type":"mrkdwn","text":\#(JSONText.quoted(title))}}"#
        ]
        if !alert.detail.isEmpty {
            blocks.append(#"{"type":"section","text":{"type":"mrkdwn","text":\#(JSONText.quoted(alert.detail))}}"#)
        }
        blocks.append(#"{"type":"context","elements":[{"type":"mrkdwn","text":\#(JSONText.quoted(context))}]}"#)
        let json = #"{"text":\#(JSONText.quoted(title)),"blocks":[\#(blocks.joined(separator: ","))]}"#
        return Array(json.utf8)
    }
}
