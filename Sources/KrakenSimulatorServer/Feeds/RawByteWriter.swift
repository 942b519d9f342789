import NIOCore

/// Sits in front of NIO's WebSocket frame encoder so a feed can write bytes that are already
/// framed (the throughput stream) straight to the socket, while everything else still goes
/// through the encoder. Writes coming from the encoder pass through untouched.
final class RawByteWriter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func write(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func flush() { context?.flush() }
}
