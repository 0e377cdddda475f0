internal import NIOCore
internal import NIOHTTP2

/// Sits between the socket (or TLS) and NIOHTTP2Handler and answers server PINGs itself,
/// so they never count against NIOHTTP2's control-frame rate limit (see ``HTTP2PingFilter``).
final class HTTP2PingResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var filter = HTTP2PingFilter()
    private(set) var acknowledged = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var flush = false
        for action in filter.process(unwrapInboundIn(data)) {
            switch action {
            case .forward(let bytes):
                context.fireChannelRead(wrapInboundOut(bytes))
            case .acknowledge(let payload):
                acknowledged += 1
                context.write(
                    wrapOutboundOut(HTTP2PingFilter.ackFrame(payload: payload, allocator: context.channel.allocator)),
                    promise: nil)
                flush = true
            }
        }
        if flush { context.flush() }
    }

    /// Installs the responder in front of the channel's NIOHTTP2Handler.
    ///
    /// Runs as grpc-swift-nio-transport's `onCreateTCPConnection` hook, on the channel's event
    /// loop, after the gRPC pipeline is configured and before any byte is read.
    static func install(on channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            let http2 = try operations.handler(type: NIOHTTP2Handler.self)
            try operations.addHandler(HTTP2PingResponder(), position: .before(http2))
        }
    }
}
