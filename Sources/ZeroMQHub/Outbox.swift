import Synchronization

/// Why a message handed to the hub was not queued. Every case has its own counter.
public enum HubDropReason: String, Sendable, CaseIterable {
    /// The outbox already holds its maximum number of messages.
    case outboxFull
    /// The outbox already holds its maximum number of bytes.
    case outboxBytesFull
    /// One message is larger than the whole byte budget.
    case messageTooLarge
    /// The hub is stopping or stopped.
    case hubStopped
    /// The socket id does not belong to this hub.
    case unknownSocket
}

/// The result of handing a message to the hub.
public enum PublishOutcome: Sendable, Equatable {
    case queued
    case dropped(HubDropReason)
}

private let zeroBlock = [UInt8](repeating: 0, count: 16_384)

/// Messages waiting for the owner thread, stored flat so a steady flow allocates nothing:
/// frame bytes are appended to one buffer, frame boundaries and message boundaries to two
/// index arrays. The thread swaps a whole batch out and sends it outside the lock.
struct OutboundBatch {
    struct Message {
        var socket: Int
        var firstFrame: Int
        var frameCount: Int
    }

    private(set) var bytes: [UInt8] = []
    private(set) var frameEnds: [Int] = []
    private(set) var messages: [Message] = []

    var isEmpty: Bool { messages.isEmpty }
    var count: Int { messages.count }

    init(reservingMessages: Int = 0, bytes byteCount: Int = 0) {
        messages.reserveCapacity(reservingMessages)
        frameEnds.reserveCapacity(reservingMessages * 3)
        bytes.reserveCapacity(byteCount)
    }

    /// The bus frame shape `[topic][header][payload]`, without building an array of frames.
    mutating func append(
        socket: Int, _ topic: UnsafeRawBufferPointer, _ header: UnsafeRawBufferPointer, _ payload: UnsafeRawBufferPointer
    ) {
        messages.append(Message(socket: socket, firstFrame: frameEnds.count, frameCount: 3))
        bytes.append(contentsOf: topic)
        frameEnds.append(bytes.count)
        bytes.append(contentsOf: header)
        frameEnds.append(bytes.count)
        bytes.append(contentsOf: payload)
        frameEnds.append(bytes.count)
    }

    /// Appends a three-frame message whose payload `writePayload` writes in place.
    mutating func append(
        socket: Int, _ topic: UnsafeRawBufferPointer, _ header: UnsafeRawBufferPointer, payloadCount: Int,
        _ writePayload: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        messages.append(Message(socket: socket, firstFrame: frameEnds.count, frameCount: 3))
        bytes.append(contentsOf: topic)
        frameEnds.append(bytes.count)
        bytes.append(contentsOf: header)
        frameEnds.append(bytes.count)
        let start = bytes.count
        appendZeros(payloadCount)
        bytes.withUnsafeMutableBytes { all in
            writePayload(UnsafeMutableRawBufferPointer(rebasing: all[start..<(start + payloadCount)]))
        }
        frameEnds.append(bytes.count)
    }

    /// Room for a payload written in place: copied from a block of zeros (a `memcpy`), which
    /// appending `repeatElement(0, count:)` is not — it goes element by element.
    private mutating func appendZeros(_ count: Int) {
        var remaining = count
        while remaining > 0 {
            let chunk = Swift.min(remaining, zeroBlock.count)
            zeroBlock.withUnsafeBytes { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<chunk])) }
            remaining -= chunk
        }
    }

    mutating func append(socket: Int, frames: [[UInt8]]) {
        messages.append(Message(socket: socket, firstFrame: frameEnds.count, frameCount: frames.count))
        for frame in frames {
            bytes.append(contentsOf: frame)
            frameEnds.append(bytes.count)
        }
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        frameEnds.removeAll(keepingCapacity: true)
        messages.removeAll(keepingCapacity: true)
    }

    /// Writes `nanoseconds` into `field` of `message` (see `SendTimestampField`), when the message
    /// has that frame and it is long enough.
    mutating func stamp(_ message: Message, _ field: SendTimestampField, nanoseconds: Int64) {
        guard field.frame >= 0, field.byteOffset >= 0, field.frame < message.frameCount else { return }
        let index = message.firstFrame + field.frame
        let start = index == 0 ? 0 : frameEnds[index - 1]
        guard frameEnds[index] - start >= field.byteOffset + 8 else { return }
        bytes.withUnsafeMutableBytes { all in
            all.storeBytes(of: nanoseconds.littleEndian, toByteOffset: start + field.byteOffset, as: Int64.self)
        }
    }

    /// Calls `body` with each frame of message `message`, in order, with a flag for "more".
    func forEachFrame(of message: Message, _ body: (UnsafeRawBufferPointer, Bool) -> Void) {
        bytes.withUnsafeBytes { all in
            for index in message.firstFrame..<(message.firstFrame + message.frameCount) {
                let start = index == 0 ? 0 : frameEnds[index - 1]
                let frame = UnsafeRawBufferPointer(rebasing: all[start..<frameEnds[index]])
                body(frame, index < message.firstFrame + message.frameCount - 1)
            }
        }
    }
}

/// Bounded, non-blocking hand-off from any thread to the owner thread. Publishing takes one
/// short lock and rings the eventfd only on the empty→waiting edge, so a flood costs no
/// syscalls. Replies (control plane) queue separately and are never dropped for capacity.
struct OutboxState {
    var pending: OutboundBatch
    var replies: OutboundBatch
    var pendingBytes = 0
    /// Set by the owner thread when it found nothing to do and is about to sleep in zmq_poll.
    var ownerWaiting = false
    var stopping = false
    var queued: UInt64 = 0
    var wakeSignals: UInt64 = 0
    var drops: [HubDropReason: UInt64] = [:]

    init(capacity: Int, byteCapacity: Int) {
        pending = OutboundBatch(reservingMessages: capacity, bytes: min(byteCapacity, 1 << 24))
        replies = OutboundBatch()
    }
}
