import Synchronization
import WireFormat

/// The control plane without a transport: request body frames and the sender's ZAP user id
/// in, reply frames out. Decode → authorize → handle → encode, echoing the request's id.
///
/// Thread-safe; `process` may run concurrently (that is what `run` does).
public final class ControlServer: Sendable {
    /// The default bound on requests handled at once by `run`.
    public static let defaultMaxInFlight = 64
    /// The default bound per client (routing id), so one flooding client cannot take every slot.
    public static let defaultMaxInFlightPerClient = 8

    public let handler: any ControlHandler
    public let policy: ControlAccessPolicy
    public let decoder: ControlRequestDecoder
    /// Requests `run` handles at once; more are answered UNAVAILABLE at once.
    public let maxInFlight: Int
    /// Requests `run` handles at once for one client (the first envelope frame).
    public let maxInFlightPerClient: Int

    let state = Mutex(ControlCounters())
    /// Requests in flight per client, for `maxInFlightPerClient`.
    let clientsInFlight = Mutex<[[UInt8]: Int]>([:])

    public init(
        handler: any ControlHandler, policy: ControlAccessPolicy,
        maxBodyBytes: Int = ControlRequestDecoder.defaultMaxBodyBytes, maxInFlight: Int = ControlServer.defaultMaxInFlight,
        maxInFlightPerClient: Int = ControlServer.defaultMaxInFlightPerClient
    ) {
        precondition(maxInFlight > 0 && maxInFlightPerClient > 0, "in-flight bounds must be positive")
        self.maxInFlightPerClient = maxInFlightPerClient
        self.handler = handler
        self.policy = policy
        self.decoder = ControlRequestDecoder(maxBodyBytes: maxBodyBytes)
        self.maxInFlight = maxInFlight
    }

    /// A snapshot of the counters.
    public var counters: ControlCounters { state.withLock { $0 } }

    /// Answers one request: the reply frames (a `ControlReply`, then any snapshot/replay
    /// triples). Never fails: every problem is an error reply.
    public func process(bodyFrames: [[UInt8]], userID: String?) async -> [[UInt8]] {
        let request: ControlRequest
        do throws(ControlFailure) {
            request = try decoder.decode(bodyFrames: bodyFrames)
        } catch {
            return answer(failure: error.error, id: error.id, encoding: error.encoding)
        }
        state.withLock { $0.commands[request.command.kind, default: 0] += 1 }
        do throws(ControlError) {
            try policy.check(request.command.kind, userID: userID)
        } catch {
            return answer(failure: error, id: request.id, encoding: request.encoding)
        }
        switch await handler.handle(request.command) {
        case .result(let result):
            return answer(result: result, frames: [], id: request.id, encoding: request.encoding)
        case .stream(let result, let frames):
            guard frames.count % 3 == 0 else {
                return answer(
                    failure: .internal("the bridge built a reply of \(frames.count) frames after the first, not triples"),
                    id: request.id, encoding: request.encoding)
            }
            return answer(result: result, frames: frames, id: request.id, encoding: request.encoding)
        case .failure(let error):
            return answer(failure: error, id: request.id, encoding: request.encoding)
        }
    }

    /// The UNAVAILABLE reply for a request the transport could not even queue (counted like
    /// every error reply).
    public func overloadedReply(bodyFrames: [[UInt8]]) -> [[UInt8]] {
        busyReply(bodyFrames: bodyFrames, message: "the control plane's queue is full; try again")
    }

    /// The UNAVAILABLE reply for a request refused because too many are in flight, with the
    /// id echoed when the body can be read.
    func busyReply(bodyFrames: [[UInt8]], clientBound: Bool) -> [[UInt8]] {
        busyReply(bodyFrames: bodyFrames, message: clientBound
            ? "this client has \(maxInFlightPerClient) requests in flight; read their replies first"
            : "the control plane is handling \(maxInFlight) requests; try again")
    }

    private func busyReply(bodyFrames: [[UInt8]], message: String) -> [[UInt8]] {
        let busy = ControlError.unavailable(message)
        do throws(ControlFailure) {
            let request = try decoder.decode(bodyFrames: bodyFrames)
            return answer(failure: busy, id: request.id, encoding: request.encoding)
        } catch {
            return answer(failure: busy, id: error.id, encoding: error.encoding)
        }
    }

    private func answer(failure: ControlError, id: UInt64, encoding: ControlEncoding) -> [[UInt8]] {
        state.withLock {
            $0.requests += 1
            $0.failures[failure.code, default: 0] += 1
        }
        let reply = ControlReplyEncoder.reply(id: id, result: .error(failure.proto))
        return [ControlReplyEncoder.encode(reply, as: encoding)]
    }

    private func answer(result: KBControlReply.OneOf_Result, frames: [[UInt8]], id: UInt64, encoding: ControlEncoding)
        -> [[UInt8]]
    {
        // A handler may also answer an error as a result; count it as the error it is.
        if case .error(let error) = result { return answer(failure: ControlError(error), id: id, encoding: encoding) }
        state.withLock {
            $0.requests += 1
            $0.succeeded += 1
        }
        return [ControlReplyEncoder.encode(ControlReplyEncoder.reply(id: id, result: result), as: encoding)] + frames
    }
}
