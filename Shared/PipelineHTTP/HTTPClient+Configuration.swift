extension HTTPClient {
    /// Client-wide defaults and limits; a request may override the timeouts and the body cap.
    public struct Configuration: Sendable, Equatable {
        /// Default deadline for DNS, TCP and TLS: 5 s.
        public var connectTimeout: Duration
        /// Default deadline for the whole exchange: 30 s. Never unlimited.
        public var timeout: Duration
        /// Default response body cap: 16 MiB. A larger body aborts the transfer with ``HTTPClientError/Kind/tooLarge``.
        public var maximumResponseBytes: Int
        /// Cap on all response header lines together: 256 KiB.
        public var maximumHeaderBytes: Int
        /// How many redirects to follow; 0 (the default) follows none and returns the 3xx response.
        public var maximumRedirects: Int
        /// A PEM bundle of trusted CAs instead of the system store; verification itself is always on.
        public var caFile: String?
        /// The `User-Agent` sent unless a request sets its own.
        public var userAgent: String
        /// Parallel connections per host (`CURLMOPT_MAX_HOST_CONNECTIONS`); 0 is unlimited. Extra transfers queue.
        public var maximumConnectionsPerHost: Int

        /// Creates a configuration; every default is documented on its property.
        public init(
            connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(30),
            maximumResponseBytes: Int = 16 * 1024 * 1024, maximumHeaderBytes: Int = 256 * 1024,
            maximumRedirects: Int = 0, caFile: String? = nil, userAgent: String = "tributary/1",
            maximumConnectionsPerHost: Int = 0
        ) {
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.maximumResponseBytes = maximumResponseBytes
            self.maximumHeaderBytes = maximumHeaderBytes
            self.maximumRedirects = maximumRedirects
            self.caFile = caFile
            self.userAgent = userAgent
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up and at least 1, because libcurl reads 0 as "no limit".
    var curlMilliseconds: Int {
        guard self > .zero else { return 1 }
        let (seconds, attoseconds) = self.components
        let fromSeconds = seconds.multipliedReportingOverflow(by: 1000)
        guard !fromSeconds.overflow else { return Int.max }
        let extra = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return max(1, Int(fromSeconds.partialValue + extra))
    }
}
