internal import CCurl
import Synchronization

/// Owns one curl multi handle and the dedicated thread that drives it, so many transfers run at once on one
/// OS thread and none of them ever blocks Swift's cooperative pool.
///
/// Other threads talk to it only through `inbox` (a `Mutex`) plus `curl_multi_wakeup`, the one multi call libcurl
/// allows from another thread. Everything else (`active`, the multi handle's transfers, every libcurl callback) is
/// touched only by the loop thread. The multi handle is destroyed in `deinit`, which runs once both the client
/// and the finished thread have let go, so no wakeup can reach a destroyed handle. Hence `@unchecked Sendable`.
final class CurlMultiLoop: @unchecked Sendable {
    /// Work handed to the loop thread.
    private struct Inbox {
        var adds: [(CurlTransfer, TransferContinuation)] = []
        var cancels: [CurlTransfer] = []
        var shuttingDown = false
    }

    /// The multi handle (`CURLM *`).
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    /// Transfers inside the multi handle, by easy handle. Loop thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    private init(multi: UnsafeMutableRawPointer) {
        self.multi = multi
    }

    deinit {
        curl_multi_cleanup(self.multi)
    }

    /// Creates the multi handle and starts its thread.
    /// - Parameter maximumConnectionsPerHost: `CURLMOPT_MAX_HOST_CONNECTIONS`, 0 for no limit.
    /// - Throws: ``HTTPClientError`` when libcurl or the system cannot provide the handle or the thread.
    static func start(maximumConnectionsPerHost: Int) throws(HTTPClientError) -> CurlMultiLoop {
        try CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else {
            throw HTTPClientError(kind: .other, message: "curl_multi_init failed")
        }
        _ = tributary_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, max(0, maximumConnectionsPerHost))
        let loop = CurlMultiLoop(multi: multi)
        try CurlThread.spawn { loop.run() }
        return loop
    }

    // MARK: - Any thread

    /// Hands a configured transfer to the loop; the continuation is resumed exactly once from the loop thread.
    func submit(_ transfer: CurlTransfer, continuation: TransferContinuation) {
        let accepted = self.inbox.withLock { inbox in
            guard !inbox.shuttingDown else { return false }
            inbox.adds.append((transfer, continuation))
            // Under the lock, so the loop cannot have seen `shuttingDown` and let the handle go (see the type doc).
            curl_multi_wakeup(self.multi)
            return true
        }
        if !accepted {
            continuation.resume(returning: .failure(HTTPClientError(kind: .cancelled, message: "the client shut down")))
        }
    }

    /// Asks the loop to abandon a transfer; it resumes with ``HTTPClientError/cancelled`` unless already finished.
    func cancel(_ transfer: CurlTransfer) {
        // The flag first: if the transfer is not yet inside the multi handle, the loop sees it when it arrives.
        transfer.cancelRequested.store(true, ordering: .sequentiallyConsistent)
        self.inbox.withLock { inbox in
            guard !inbox.shuttingDown else { return }
            inbox.cancels.append(transfer)
            curl_multi_wakeup(self.multi)
        }
    }

    /// Tells the thread to fail what is in flight with `.cancelled` and exit.
    func shutdown() {
        self.inbox.withLock { inbox in
            guard !inbox.shuttingDown else { return }
            inbox.shuttingDown = true
            curl_multi_wakeup(self.multi)
        }
    }

    // MARK: - Loop thread

    private func run() {
        while true {
            let work = self.inbox.withLock { inbox in
                defer {
                    inbox.adds = []
                    inbox.cancels = []
                }
                return (adds: inbox.adds, cancels: inbox.cancels, stop: inbox.shuttingDown)
            }
            for (transfer, continuation) in work.adds { self.start(transfer, continuation) }
            for transfer in work.cancels { self.abandon(transfer, with: .cancelled) }
            if work.stop {
                let shutDown = HTTPClientError(kind: .cancelled, message: "the client shut down")
                for transfer in Array(self.active.values) { self.abandon(transfer, with: shutDown) }
                return
            }
            var running: Int32 = 0
            _ = curl_multi_perform(self.multi, &running)
            self.collectFinished()
            // Sleeps until a socket is ready, libcurl's next timer, a wakeup, or one second.
            _ = curl_multi_poll(self.multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ transfer: CurlTransfer, _ continuation: TransferContinuation) {
        transfer.attach(continuation)
        if transfer.cancelRequested.load(ordering: .sequentiallyConsistent) {
            transfer.complete(.failure(.cancelled))
            return
        }
        let code = curl_multi_add_handle(self.multi, transfer.handle)
        guard code == CURLM_OK else {
            let text = String(cString: curl_multi_strerror(code))
            transfer.complete(.failure(HTTPClientError(kind: .other, message: "curl_multi_add_handle: \(text)")))
            return
        }
        self.active[transfer.handle] = transfer
    }

    private func abandon(_ transfer: CurlTransfer, with error: HTTPClientError) {
        guard self.active.removeValue(forKey: transfer.handle) != nil else { return }
        curl_multi_remove_handle(self.multi, transfer.handle)
        transfer.complete(.failure(error))
    }

    private func collectFinished() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(self.multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            // Read before removing the handle, which invalidates the message.
            let code = tributary_curl_msg_result(message)
            guard let transfer = self.active.removeValue(forKey: easy) else { continue }
            curl_multi_remove_handle(self.multi, easy)
            transfer.complete(code)
        }
    }
}
