import Glibc

/// The blocking POSIX socket calls the operations server needs, wrapped once (as NIOPosix's `System.swift` does)
/// so the server logic reads as plain Swift and every `errno` is handled in one place.
enum PosixSocket {
    /// Binds and listens on `host:port` (`port` 0 picks a free one).
    /// - Returns: The listening descriptor and the port actually bound.
    /// - Throws: ``OperationsServerError`` when the address does not resolve or no address can be bound.
    static func listen(host: String, port: Int, backlog: Int32 = 64) throws(OperationsServerError) -> (
        fd: Int32, port: Int
    ) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw OperationsServerError(kind: .bindFailed, message: "cannot resolve \(host): \(reason)")
        }
        defer { freeaddrinfo(list) }

        var lastError: Int32 = 0
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = errno
                continue
            }
            var one: Int32 = 1
            // Lets a restarted service rebind at once instead of failing while old connections sit in TIME_WAIT.
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, Glibc.listen(fd, backlog) == 0,
                let bound = self.localPort(fd)
            {
                return (fd, bound)
            }
            lastError = errno
            close(fd)
        }
        throw OperationsServerError(
            kind: .bindFailed, message: "cannot listen on \(host):\(port): \(self.describe(errno: lastError))",
            errno: lastError)
    }

    /// The local port of a bound socket.
    static func localPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
        default:
            return nil
        }
    }

    /// Accepts one connection; `nil` on a transient failure the caller should just move past.
    static func accept(_ listener: Int32) -> Int32? {
        // accept4 and pipe2 are GNU extensions Swift's Glibc module does not import; fcntl is race-free enough
        // here because the process never forks while serving.
        let fd = Glibc.accept(listener, nil, nil)
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// Sets per-call receive and send timeouts, so a silent client cannot hold the server thread.
    static func setTimeouts(_ fd: Int32, receive: Duration, send: Duration) {
        for (option, duration) in [(SO_RCVTIMEO, receive), (SO_SNDTIMEO, send)] {
            let (seconds, attoseconds) = duration.components
            var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
            setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// The result of one `recv`.
    enum ReadResult {
        case bytes(Int)
        case closed
        case timedOut
        case failed
    }

    /// Reads into `buffer`, retrying on `EINTR`.
    static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> ReadResult {
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return .bytes(count) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .timedOut
            default: return .failed
            }
        }
    }

    /// Writes all bytes; `MSG_NOSIGNAL` turns a vanished client into an error instead of a process-killing SIGPIPE.
    @discardableResult
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent > 0 {
                    offset += sent
                } else if sent < 0 && errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
    }

    /// Closes after telling the client we are done and discarding what it still sends (briefly).
    ///
    /// Closing a socket with unread input makes the kernel send RST, which can destroy our error response (`431`)
    /// before the client reads it; half-closing and draining first lets the response arrive.
    static func lingeringClose(_ fd: Int32, drainLimit: Int = 256 * 1024) {
        shutdown(fd, Int32(SHUT_WR))
        self.setTimeouts(fd, receive: .milliseconds(200), send: .milliseconds(200))
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        var drained = 0
        while drained < drainLimit, case .bytes(let count) = self.receive(fd, into: &scratch) { drained += count }
        close(fd)
    }

    /// A non-blocking pipe used to wake the accept loop for shutdown.
    static func makeWakePipe() throws(OperationsServerError) -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw OperationsServerError(
                kind: .bindFailed, message: "cannot create pipe: \(self.describe(errno: errno))")
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        return (fds[0], fds[1])
    }

    /// Waits until `listener` or `wake` is readable.
    /// - Returns: `(listenerReady, wakeReady)`; both false after `EINTR`.
    static func waitReadable(listener: Int32, wake: Int32) -> (listener: Bool, wake: Bool) {
        var fds = [
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        guard poll(&fds, nfds_t(fds.count), -1) > 0 else { return (false, false) }
        return (fds[0].revents != 0, fds[1].revents != 0)
    }

    /// Writes one byte to the wake pipe.
    static func wake(_ fd: Int32) {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    static func describe(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
