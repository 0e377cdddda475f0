import BigtableTestSupport
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP relay the services dial instead of the Bigtable emulator, so the chaos run can replace the
/// emulator process behind a fixed address: `cut()` severs every connection and refuses new ones (what clients see
/// when a server dies), `connect(to:)` sends new connections to another upstream port.
///
/// Plain blocking sockets, two threads per connection: it carries one gRPC connection per service, and the test's
/// own cores are not the bottleneck of a chaos run.
final class TCPRelay: Sendable {
    let port: Int
    private let listener: Int32
    private let state = Mutex(State())

    private struct State {
        var upstreamPort: Int?
        var sockets: Set<Int32> = []
        var closed = false
    }

    init(upstreamPort: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Loopback.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            Glibc.close(fd)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        state.withLock { $0.upstreamPort = upstreamPort }
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    deinit { close() }

    /// Severs every relayed connection and refuses new ones until `connect(to:)`.
    func cut() {
        state.withLock { state in
            state.upstreamPort = nil
            for fd in state.sockets { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// New connections go to `upstreamPort` on 127.0.0.1.
    func connect(to upstreamPort: Int) {
        state.withLock { $0.upstreamPort = upstreamPort }
    }

    /// Stops accepting and severs everything.
    func close() {
        let listener = listener
        let wasOpen = state.withLock { state in
            defer { state.closed = true }
            for fd in state.sockets { shutdown(fd, Int32(SHUT_RDWR)) }
            return !state.closed
        }
        if wasOpen { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    // MARK: - Threads

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            guard let upstreamPort = state.withLock({ $0.closed ? nil : $0.upstreamPort }),
                let upstream = Self.dial(port: upstreamPort)
            else {
                Glibc.close(client)
                continue
            }
            // Registered under the lock that `cut` takes, so a cut racing this accept still severs the pair.
            let admitted = state.withLock { state in
                guard !state.closed, state.upstreamPort == upstreamPort else { return false }
                state.sockets.formUnion([client, upstream])
                return true
            }
            guard admitted else {
                Glibc.close(client)
                Glibc.close(upstream)
                continue
            }
            let pair = SocketPair(a: client, b: upstream)
            Thread.detachNewThread { [self] in pump(from: client, to: upstream, pair: pair) }
            Thread.detachNewThread { [self] in pump(from: upstream, to: client, pair: pair) }
        }
        Glibc.close(listener)
    }

    /// Copies one direction until either side ends, then ends both; the second pump to finish closes the sockets.
    private func pump(from source: Int32, to destination: Int32, pair: SocketPair) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 65_536, alignment: 16)
        defer { buffer.deallocate() }
        copying: while true {
            let count = recv(source, buffer, 65_536, 0)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var sent = 0
            while sent < count {
                // MSG_NOSIGNAL: a peer gone mid-write must not raise SIGPIPE in the test process.
                let written = send(destination, buffer + sent, count - sent, Int32(MSG_NOSIGNAL))
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { break copying }
                sent += written
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        if pair.finishOne() {
            state.withLock { $0.sockets.subtract([pair.a, pair.b]) }
            Glibc.close(pair.a)
            Glibc.close(pair.b)
        }
    }

    private static func dial(port: Int) -> Int32? {
        guard let fd = Loopback.connect(port: port) else { return nil }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }
}

/// The two sockets of one relayed connection and how many of its two pumps are still running.
private final class SocketPair: Sendable {
    let a: Int32
    let b: Int32
    private let running = Atomic<Int>(2)

    init(a: Int32, b: Int32) {
        self.a = a
        self.b = b
    }

    /// True for the pump that finishes last.
    func finishOne() -> Bool { running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 }
}
