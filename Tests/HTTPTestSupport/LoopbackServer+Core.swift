import Glibc
import Synchronization

extension LoopbackServer {
    /// Sockets and threads. Retained by every thread it starts, so its descriptors close (in `deinit`) only after
    /// the last thread is gone. Its mutable state is a `Mutex` and an `Atomic`; descriptors are immutable ints.
    final class Core: Sendable {
        let port: Int
        let recorded = Mutex<[Request]>([])
        private let listener: Int32
        private let wakeRead: Int32
        private let wakeWrite: Int32
        private let stopped = Atomic<Bool>(false)
        private let handler: @Sendable (Request) -> Reply

        init(handler: @escaping @Sendable (Request) -> Reply) throws(LoopbackServerError) {
            self.handler = handler
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw LoopbackServerError(description: "socket: errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0, listen(fd, 128) == 0 else {
                close(fd)
                throw LoopbackServerError(description: "bind/listen: errno \(errno)")
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            var pipeFDs: [Int32] = [0, 0]
            guard pipe(&pipeFDs) == 0 else {
                close(fd)
                throw LoopbackServerError(description: "pipe: errno \(errno)")
            }
            self.listener = fd
            self.port = Int(UInt16(bigEndian: address.sin_port))
            self.wakeRead = pipeFDs[0]
            self.wakeWrite = pipeFDs[1]
        }

        deinit {
            close(self.listener)
            close(self.wakeRead)
            close(self.wakeWrite)
        }

        /// Makes every `poll` on the wake pipe return, for good (the byte is never read).
        func stop() {
            guard !self.stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
            var byte: UInt8 = 1
            _ = Glibc.write(self.wakeWrite, &byte, 1)
        }

        /// Waits until `fd` is readable or the server stops; `false` when stopping.
        private func waitReadable(_ fd: Int32) -> Bool {
            var fds = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: self.wakeRead, events: Int16(POLLIN), revents: 0),
            ]
            while true {
                let ready = poll(&fds, 2, -1)
                if ready < 0 && errno == EINTR { continue }
                return fds[1].revents == 0 && fds[0].revents != 0
            }
        }

        func acceptLoop() {
            while self.waitReadable(self.listener) {
                let client = accept(self.listener, nil, nil)
                guard client >= 0 else { continue }
                do {
                    try LoopbackThread.spawn { self.serve(client) }
                } catch {
                    close(client)
                }
            }
        }

        private func serve(_ fd: Int32) {
            defer { close(fd) }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard let request = self.readRequest(fd) else { return }
            self.recorded.withLock { $0.append(request) }
            self.send(self.handler(request), to: fd)
        }

        private func send(_ reply: Reply, to fd: Int32) {
            switch reply {
            case .response(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) Status\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                self.writeAll(Array((head + "\r\n").utf8) + body, to: fd)
            case .raw(let bytes):
                self.writeAll(bytes, to: fd)
            case .hang:
                _ = self.waitReadable(self.wakeRead)
            case .delayed(let delay, let next):
                Self.pause(delay)
                self.send(next, to: fd)
            case .trickle(let head, let byte, let interval):
                guard self.writeAll(head, to: fd) else { return }
                while !self.stopped.load(ordering: .relaxed), self.writeAll([byte], to: fd) { Self.pause(interval) }
            }
        }

        private static func pause(_ delay: Duration) {
            let (seconds, attoseconds) = delay.components
            var pause = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&pause, &remaining) != 0 && errno == EINTR { pause = remaining }
        }

        /// False when the client hung up.
        @discardableResult
        private func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
            var offset = 0
            while offset < bytes.count {
                // MSG_NOSIGNAL: a client that hung up must not SIGPIPE the test process.
                let sent = bytes[offset...].withUnsafeBytes {
                    Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }

        private func readRequest(_ fd: Int32) -> Request? {
            var buffer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            var headEnd: Int?
            while headEnd == nil {
                let count = read(fd, &chunk, chunk.count)
                guard count > 0 else { return nil }
                buffer += chunk[0..<count]
                headEnd = Self.find([13, 10, 13, 10], in: buffer)
            }
            guard let end = headEnd else { return nil }
            let lines = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n")
            guard let requestLine = lines.first else { return nil }
            let parts = requestLine.split(separator: " ")
            guard parts.count >= 2 else { return nil }
            var headers: [(name: String, value: String)] = []
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let value = line[line.index(after: colon)...].drop(while: { $0 == " " })
                headers.append((line[..<colon].lowercased(), String(value)))
            }
            let length = Int(headers.first { $0.name == "content-length" }?.value ?? "0") ?? 0
            var body = Array(buffer[(end + 4)...])
            while body.count < length {
                let count = read(fd, &chunk, min(chunk.count, length - body.count))
                guard count > 0 else { return nil }
                body += chunk[0..<count]
            }
            return Request(
                method: String(parts[0]), target: String(parts[1]), headers: headers, body: body,
                receivedAt: .now)
        }

        private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for start in 0...(haystack.count - needle.count)
            where haystack[start..<(start + needle.count)].elementsEqual(needle) {
                return start
            }
            return nil
        }
    }
}
