internal import CCurl

/// Runs `curl_global_init` exactly once per process, before the first handle is made.
///
/// libcurl requires it before any other call and it is not thread-safe itself; a Swift `static let` is initialised
/// once under a lock, which gives exactly that.
enum CurlGlobal {
    private static let result: CURLcode = tributary_curl_global_init()

    /// Initialises libcurl if nobody has yet.
    /// - Throws: ``HTTPClientError`` of kind `other` when libcurl cannot initialise (out of memory, TLS backend).
    static func ensureInitialized() throws(HTTPClientError) {
        let code = self.result
        guard code == CURLE_OK else {
            throw HTTPClientError(curl: code, detail: "curl_global_init failed", bodyCapExceeded: false)
        }
    }
}
