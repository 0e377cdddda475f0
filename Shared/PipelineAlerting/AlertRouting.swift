public import PipelineMessages

/// Severity routing: which webhook an alert goes to, and which severities are not sent at all.
///
/// `critical` alerts go to the `critical` route when one is configured (a pager channel), everything else at or
/// above `minimumSeverity` to `default`; below it, alerts are tracked and logged but not sent.
public struct AlertRouting: Sendable, Equatable {
    public static let defaultRoute = "default"
    public static let criticalRoute = "critical"

    public var minimumSeverity: Alert.Severity
    public var hasCriticalRoute: Bool

    public init(minimumSeverity: Alert.Severity = .info, hasCriticalRoute: Bool = false) {
        self.minimumSeverity = minimumSeverity
        self.hasCriticalRoute = hasCriticalRoute
    }

    /// The route for a severity; `nil` when alerts of that severity are not sent. Unspecified counts as warning.
    public func route(for severity: Alert.Severity) -> String? {
        let effective = severity == .unspecified ? Alert.Severity.warning : severity
        guard effective.rawValue >= minimumSeverity.rawValue else { return nil }
        return effective == .critical && hasCriticalRoute ? Self.criticalRoute : Self.defaultRoute
    }
}
