public import PipelineRuntime

/// The outbound-HTTP options of a service that calls other systems (the extractor → Salesforce, alerting → webhooks):
/// which CAs to trust and the limits every exchange runs under. Peer and host verification are always on.
///
/// - `--http-ca-file` / `HTTP_CA_FILE`: a PEM bundle instead of the system store.
/// - `--http-connect-timeout` / `HTTP_CONNECT_TIMEOUT`: DNS, TCP and TLS handshake deadline.
/// - `--http-timeout` / `HTTP_TIMEOUT`: the whole exchange's deadline, when the service has no own option for it.
/// - `--http-max-response-bytes` / `HTTP_MAX_RESPONSE_BYTES`: a larger body aborts the transfer (`tooLarge`).
public struct HTTPOptions: Sendable, Equatable {
    public var caFile: String?
    public var connectTimeout: Duration
    /// `nil` when the service sets the deadline itself (see ``read(from:defaultTimeout:defaultMaximumResponseBytes:)``).
    public var timeout: Duration?
    public var maximumResponseBytes: Int

    public init(
        caFile: String? = nil, connectTimeout: Duration = .seconds(5), timeout: Duration? = nil,
        maximumResponseBytes: Int = 16 << 20
    ) {
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// Declares the options under an "HTTP" help section.
    /// - Parameters:
    ///   - defaultTimeout: The `--http-timeout` default; `nil` declares no such option because the service has its
    ///     own deadline option (the extractor's `--request-timeout`); ``timeout`` is then `nil`.
    ///   - defaultMaximumResponseBytes: The body cap default, sized to the largest answer the service expects.
    public static func read(
        from reader: ConfigReader, defaultTimeout: Duration?, defaultMaximumResponseBytes: Int
    ) -> HTTPOptions {
        reader.section = "HTTP"
        var options = HTTPOptions(maximumResponseBytes: defaultMaximumResponseBytes)
        options.caFile = reader.optionalString(
            "http-ca-file", env: "HTTP_CA_FILE",
            help: "PEM bundle of CAs trusted for outbound HTTPS; default: the system store (verification is always on).")
        options.connectTimeout = reader.duration(
            "http-connect-timeout", env: "HTTP_CONNECT_TIMEOUT", default: options.connectTimeout,
            help: "Deadline for DNS, TCP connect and the TLS handshake of one request.")
        if let defaultTimeout {
            options.timeout = reader.duration(
                "http-timeout", env: "HTTP_TIMEOUT", default: defaultTimeout,
                help: "Deadline of one whole HTTP exchange (connect, send, response body).")
        }
        options.maximumResponseBytes = reader.int(
            "http-max-response-bytes", env: "HTTP_MAX_RESPONSE_BYTES", default: defaultMaximumResponseBytes,
            help: "Largest response body accepted; a larger one aborts the transfer.", range: 1_024...(1 << 30))
        reader.require(options.connectTimeout > .zero, "--http-connect-timeout must be above 0")
        reader.require(options.timeout.map { $0 > .zero } ?? true, "--http-timeout must be above 0")
        return options
    }

    /// The client configuration with these options applied over `base`.
    public func configuration(_ base: HTTPClient.Configuration = .init()) -> HTTPClient.Configuration {
        var configuration = base
        configuration.caFile = caFile
        configuration.connectTimeout = connectTimeout
        if let timeout { configuration.timeout = timeout }
        configuration.maximumResponseBytes = maximumResponseBytes
        return configuration
    }
}
