internal import CCurl

extension HTTPClientError {
    /// Classifies a failed transfer.
    /// - Parameters:
    ///   - code: The transfer's result.
    ///   - detail: libcurl's error buffer, already scrubbed of the URL; empty falls back to `curl_easy_strerror`.
    ///   - bodyCapExceeded: The write callback refused bytes because of the size cap (libcurl then says
    ///     `CURLE_WRITE_ERROR`, which otherwise means a local write problem).
    init(curl code: CURLcode, detail: String, bodyCapExceeded: Bool) {
        let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: Kind
        var retriable: Bool?
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .connect
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_INVALIDCERTSTATUS:
            kind = .tls
        case CURLE_FILESIZE_EXCEEDED:
            kind = .tooLarge
        case CURLE_WRITE_ERROR where bodyCapExceeded:
            kind = .tooLarge
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidURL
        case CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_HTTP3:
            kind = .protocol
        case CURLE_WEIRD_SERVER_REPLY, CURLE_BAD_CONTENT_ENCODING, CURLE_TOO_MANY_REDIRECTS:
            kind = .protocol
            // The peer answered, but with something a retry will not fix.
            retriable = false
        case CURLE_ABORTED_BY_CALLBACK:
            kind = .cancelled
        default:
            kind = .other
        }
        let message = kind == .tooLarge && bodyCapExceeded ? "the response exceeded its size cap" : text
        self.init(kind: kind, curlCode: Int32(code.rawValue), message: message, isRetriable: retriable)
    }
}
