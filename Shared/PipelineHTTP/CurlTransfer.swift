internal import CCurl
import Synchronization

/// The outcome handed back to the awaiting task.
typealias TransferContinuation = CheckedContinuation<Result<HTTPClientResponse, HTTPClientError>, Never>

/// One request in flight: the sole owner of its curl easy handle, header list and error buffer.
///
/// It is created and configured by the calling task, then handed to ``CurlMultiLoop``; from that hand-off (made
/// through the loop's `Mutex`, which orders the memory) until ``complete(_:)`` only the loop thread touches its
/// mutable state, including from libcurl's callbacks, which run inside `curl_multi_perform` on that thread.
/// `cancelRequested` is the one field other threads write, and it is atomic. That confinement is why
/// `@unchecked Sendable` is safe here.
final class CurlTransfer: @unchecked Sendable {
    /// The easy handle (`CURL *`), destroyed in `deinit`.
    let handle: UnsafeMutableRawPointer
    /// Set by the task's cancellation handler; checked by the loop before it starts the transfer.
    let cancelRequested = Atomic<Bool>(false)
    /// The request URL, kept only to scrub it out of libcurl's messages.
    let url: String
    private let maximumBodyBytes: Int
    private let maximumHeaderBytes: Int
    private let errorBuffer: UnsafeMutablePointer<CChar>
    var headerList: UnsafeMutablePointer<curl_slist>?

    // Loop-thread state.
    private var continuation: TransferContinuation?
    private var body: [UInt8] = []
    private var headers = HTTPHeaders()
    private var headerBytes = 0
    private var capExceeded = false

    /// Creates the easy handle and applies the request's options (see `CurlTransfer+Options.swift`).
    /// - Throws: ``HTTPClientError`` for a URL that is not http/https, a header with CR/LF, or a handle libcurl
    ///   cannot create.
    init(request: HTTPClientRequest, configuration: HTTPClient.Configuration) throws(HTTPClientError) {
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(kind: .other, message: "curl_easy_init failed")
        }
        self.handle = handle
        self.url = request.url
        self.maximumBodyBytes = max(0, request.maximumResponseBytes ?? configuration.maximumResponseBytes)
        self.maximumHeaderBytes = configuration.maximumHeaderBytes
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try self.configure(request: request, configuration: configuration, maximumBodyBytes: self.maximumBodyBytes)
    }

    deinit {
        curl_easy_cleanup(self.handle)
        if let list = self.headerList { curl_slist_free_all(list) }
        self.errorBuffer.deallocate()
    }

    /// The pointer libcurl hands back to the callbacks. Unretained: the loop's table keeps `self` alive for as
    /// long as the handle is inside the multi handle, which is the only time callbacks run.
    var callbackContext: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    /// libcurl's error buffer, which the options point at.
    var errorBufferPointer: UnsafeMutablePointer<CChar> { self.errorBuffer }

    // MARK: - Loop thread

    /// Stores the continuation to resume; called by the loop as it takes the transfer.
    func attach(_ continuation: TransferContinuation) {
        self.continuation = continuation
    }

    /// Resumes the awaiting task once with the finished transfer's response or error.
    func complete(_ code: CURLcode) {
        guard code == CURLE_OK else {
            let detail = URLRedaction.scrub(String(cString: self.errorBuffer), url: self.url)
            self.complete(.failure(HTTPClientError(curl: code, detail: detail, bodyCapExceeded: self.capExceeded)))
            return
        }
        var status = 0
        _ = tributary_curl_easy_getinfo_long(self.handle, CURLINFO_RESPONSE_CODE, &status)
        self.complete(.success(HTTPClientResponse(status: status, headers: self.headers, body: self.body)))
    }

    /// Resumes the awaiting task once; later calls do nothing.
    func complete(_ result: Result<HTTPClientResponse, HTTPClientError>) {
        guard let continuation = self.continuation else { return }
        self.continuation = nil
        self.body = []
        continuation.resume(returning: result)
    }

    /// Accepts body bytes, or refuses them (ending the transfer) once the cap would be passed.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard bytes.count <= self.maximumBodyBytes - self.body.count else {
            self.capExceeded = true
            return 0
        }
        self.body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Accepts one header line (`Name: value\r\n`, or a status line that starts a new header block).
    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        self.headerBytes += bytes.count
        guard self.headerBytes <= self.maximumHeaderBytes else {
            self.capExceeded = true
            return 0
        }
        switch HTTPHeaderLine(bytes) {
        case .statusLine:
            // A new response (after 1xx or a followed redirect): only the final block's fields count.
            self.headers = HTTPHeaders()
        case .field(let name, let value):
            self.headers.add(name: name, value: value)
        case .ignored:
            break
        }
        return bytes.count
    }
}
