import KrakenAuth
import KrakenSimulator
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The Kraken simulator's network side, four listeners like Kraken's hosts:
/// - public WebSocket (`ws.kraken.com`): v2 at `/v2`, v1 at `/`;
/// - authenticated WebSocket (`ws-auth.kraken.com`): the same plus private channels;
/// - REST (`api.kraken.com`): `/0/public/…` and signed `/0/private/…`;
/// - control (HTTP JSON): faults, market pause/step, ground truth, counters.
/// Everything runs on one event loop, so the exchange's state needs no locks. Start it on
/// port 0 in tests and read `ports`.
public final class SimulatorServer: Sendable {
    /// What to simulate and where.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var publicPort = 0
        public var privatePort = 0
        public var restPort = 0
        public var controlPort = 0
        public var pairs = SimulatedPair.defaults
        public var seed: UInt64 = 1
        /// How often the markets step and subscribers are sent what changed.
        public var tickInterval: Duration = .milliseconds(100)
        public var stepsPerTick = 1
        /// Frames larger than this from a client close the connection.
        public var maxFrameSize = 1 << 16
        /// The API key the REST API accepts (Kraken's API-Key / API-Sign scheme).
        public var credentials = SimulatorServer.demoCredentials
        /// Faults fired at set times after start.
        public var scenario: Scenario?
        /// Serve wss:// and https:// (the control API stays plain HTTP) with this identity.
        public var tls: SelfSignedAuthority?
        /// What the public WebSocket listener serves: live markets, a capture, or the throughput stream.
        public var publicFeed: PublicFeed = .live
        /// An account recording (`record --private`) to replay on the authenticated listener
        /// instead of the simulated account; private REST then answers from the recording.
        public var accountReplay: ReplayPlan?

        public init() {}
    }

    /// The bound ports (useful when configured as 0).
    public struct Ports: Sendable, Equatable, Codable {
        public var `public`: Int
        public var `private`: Int
        public var rest: Int
        public var control: Int
    }

    /// The simulator's documented demo key: not a secret, never valid on Kraken.
    public static let demoCredentials = try! APICredentials(
        key: "KBSIM-DEMO-KEY",
        base64Secret: "a3Jha2VuYnJpZGdlLXNpbXVsYXRvci1kZW1vLXNlY3JldC1kby1ub3QtdXNlLXdpdGgtcmVhbC1rcmFrZW4hIQ==")

    public let ports: Ports
    private let group: MultiThreadedEventLoopGroup
    private let channels: [any Channel]
    private let exchange: NIOLoopBound<Exchange>

    private init(ports: Ports, group: MultiThreadedEventLoopGroup, channels: [any Channel], exchange: NIOLoopBound<Exchange>) {
        self.ports = ports
        self.group = group
        self.channels = channels
        self.exchange = exchange
    }

    public static func start(_ configuration: Configuration) async throws -> SimulatorServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let exchange = try await loop.submit {
            let exchange = Exchange(eventLoop: loop, configuration: configuration)
            let (seconds, attoseconds) = configuration.tickInterval.components
            exchange.start(tickInterval: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000),
                           scenario: configuration.scenario)
            return NIOLoopBound(exchange, eventLoop: loop)
        }.get()
        var channels: [any Channel] = []
        do {
            let listener = Listener(
                loop: loop, host: configuration.host, exchange: exchange, maxFrameSize: configuration.maxFrameSize,
                tls: try configuration.tls?.serverContext())
            let feed: ServedFeed = switch configuration.publicFeed {
            case .live: .live
            case .replay(let plan): .replay(plan)
            case .throughput(let plan): .throughput(EncodedThroughputStream(plan, allocator: ByteBufferAllocator()), limit: plan.messageLimit)
            }
            let host = configuration.host
            channels.append(try await SimulatorBindError.naming(.publicWebSocket, host, configuration.publicPort) {
                try await listener.webSocket(endpoint: .public, port: configuration.publicPort, feed: feed)
            })
            channels.append(try await SimulatorBindError.naming(.privateWebSocket, host, configuration.privatePort) {
                try await listener.webSocket(
                    endpoint: .private, port: configuration.privatePort, feed: configuration.accountReplay.map { .replay($0) } ?? .live)
            })
            channels.append(try await SimulatorBindError.naming(.rest, host, configuration.restPort) {
                try await listener.http(port: configuration.restPort, secure: true) { RESTRoutes.reply(to: $0, exchange: exchange.value) }
            })
            channels.append(try await SimulatorBindError.naming(.control, host, configuration.controlPort) {
                try await listener.http(port: configuration.controlPort, secure: false) { ControlRoutes.reply(to: $0, exchange: exchange.value) }
            })
        } catch {
            for channel in channels { try? await channel.close() }
            try? await group.shutdownGracefully()
            throw error
        }
        let ports = Ports(public: channels[0].localAddress?.port ?? 0, private: channels[1].localAddress?.port ?? 0,
                          rest: channels[2].localAddress?.port ?? 0, control: channels[3].localAddress?.port ?? 0)
        return SimulatorServer(ports: ports, group: group, channels: channels, exchange: exchange)
    }

    /// Closes the listeners and every connection.
    public func shutdown() async throws {
        let exchange = self.exchange
        try? await channels[0].eventLoop.submit { exchange.value.stop() }.get()
        for channel in channels { try? await channel.close() }
        try await group.shutdownGracefully()
    }
}
