internal import CCurl

extension CurlTransfer {
    /// Applies every option: limits and safety first, then the request itself.
    /// - Throws: ``HTTPClientError`` when the request is unusable or libcurl rejects an option.
    func configure(
        request: HTTPClientRequest, configuration: HTTPClient.Configuration, maximumBodyBytes: Int
    ) throws(HTTPClientError) {
        guard let scheme = URLRedaction.scheme(of: request.url), scheme == "http" || scheme == "https" else {
            throw HTTPClientError(
                kind: .invalidURL, message: "only http and https URLs are allowed: \(request.redactedURL)")
        }
        let handle = self.handle

        // Safety: no signals (threads), only http(s) even across redirects, TLS verified, no redirects by default.
        try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try Self.check(tributary_curl_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        try Self.check(tributary_curl_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        if let caFile = configuration.caFile {
            try Self.check(tributary_curl_easy_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        let redirects = max(0, configuration.maximumRedirects)
        try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, redirects > 0 ? 1 : 0))
        try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_MAXREDIRS, redirects))

        // Limits: both deadlines always set; bodies announced as too large are refused before they arrive.
        let timeout = request.timeout ?? configuration.timeout
        let connectTimeout = request.connectTimeout ?? configuration.connectTimeout
        try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds))
        try Self.check(
            tributary_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, connectTimeout.curlMilliseconds))
        try Self.check(
            tributary_curl_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maximumBodyBytes)))
        try Self.check(tributary_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, self.errorBufferPointer))

        // Callbacks receive `self` unretained (see `callbackContext`).
        try Self.check(tributary_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        try Self.check(tributary_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, self.callbackContext))
        try Self.check(tributary_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        try Self.check(tributary_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, self.callbackContext))

        try Self.check(tributary_curl_easy_setopt_string(handle, CURLOPT_URL, request.url))
        try self.configureMethodAndBody(request)
        try self.configureHeaders(request.headers, userAgent: configuration.userAgent)
    }

    private func configureMethodAndBody(_ request: HTTPClientRequest) throws(HTTPClientError) {
        let handle = self.handle
        switch request.method {
        case .get where request.body.isEmpty:
            try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case .head:
            try Self.check(tributary_curl_easy_setopt_long(handle, CURLOPT_NOBODY, 1))
        default:
            if request.method != .post {
                try Self.check(
                    tributary_curl_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method.rawValue))
            }
            if !request.body.isEmpty || request.method == .post || request.method == .put
                || request.method == .patch
            {
                // COPYPOSTFIELDS copies the bytes, so the handle never points into Swift memory after this call.
                try Self.check(
                    tributary_curl_easy_setopt_off_t(
                        handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
                let copied = request.body.withUnsafeBytes { bytes in
                    // A non-null pointer even for an empty body, which libcurl would otherwise read as "use strlen".
                    withUnsafePointer(to: UInt8(0)) { zero in
                        let pointer = UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(zero))
                        return tributary_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, pointer)
                    }
                }
                try Self.check(copied)
            }
        }
    }

    private func configureHeaders(_ headers: HTTPHeaders, userAgent: String) throws(HTTPClientError) {
        var lines: [String] = []
        for field in headers {
            guard Self.isValidHeader(field) else {
                throw HTTPClientError(
                    kind: .invalidRequest, message: "header \(field.name) has an invalid name or value")
            }
            // `Name:` would tell libcurl to drop the header; `Name;` sends it with an empty value.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if !headers.contains(name: "User-Agent") { lines.append("User-Agent: \(userAgent)") }
        // libcurl waits up to a second for `100 Continue` before sending bodies over 1 KiB; our peers never need it.
        if !headers.contains(name: "Expect") { lines.append("Expect:") }
        for line in lines {
            guard let appended = curl_slist_append(self.headerList, line) else {
                throw HTTPClientError(kind: .other, message: "out of memory building the header list")
            }
            self.headerList = appended
        }
        try Self.check(tributary_curl_easy_setopt_slist(self.handle, CURLOPT_HTTPHEADER, self.headerList))
    }

    /// Names are tokens; values may not contain CR, LF or NUL (header injection).
    private static func isValidHeader(_ field: HTTPHeaders.Field) -> Bool {
        let tokenPunctuation = Set("!#$%&'*+-.^_`|~".utf8)
        let nameOK =
            !field.name.isEmpty
            && field.name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    || tokenPunctuation.contains(byte)
            }
        let valueOK = !field.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
        return nameOK && valueOK
    }

    private static func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else { throw HTTPClientError(curl: code, detail: "", bodyCapExceeded: false) }
    }
}

/// `CURLOPT_WRITEFUNCTION`: appends body bytes to the transfer named by the context pointer.
private let curlWriteBody: curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// `CURLOPT_HEADERFUNCTION`: hands one header line to the transfer named by the context pointer.
private let curlWriteHeader: curl_write_callback = { data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}
