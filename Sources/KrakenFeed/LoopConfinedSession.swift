import NIOCore

/// What a feed's session offers its handle; implemented by `MarketSession` and `AccountSession`.
protocol FeedSession: AnyObject, SendableMetatype {
    var link: FeedConnection { get }
    func start()
    func stop()
    func diagnostics() -> FeedDiagnostics
}

/// A session confined to its event loop, reachable from any thread: every call is submitted to
/// the loop. The shared core of the feeds' thread-safe handles.
struct LoopConfinedSession<Session: FeedSession>: Sendable {
    let eventLoop: any EventLoop
    private let session: NIOLoopBound<Session>

    /// Creates the session on `eventLoop` and starts it there.
    static func start(on eventLoop: any EventLoop, _ make: @escaping @Sendable () throws -> Session) async throws -> Self {
        let session = try await eventLoop.submit {
            let session = try make()
            session.start()
            return NIOLoopBound(session, eventLoop: eventLoop)
        }.get()
        return Self(eventLoop: eventLoop, session: session)
    }

    private init(eventLoop: any EventLoop, session: NIOLoopBound<Session>) {
        self.eventLoop = eventLoop
        self.session = session
    }

    /// Runs `body` with the session on its loop.
    func run<Result: Sendable>(_ body: @escaping @Sendable (Session) -> Result) async throws -> Result {
        let session = session
        return try await eventLoop.submit { body(session.value) }.get()
    }

    func diagnostics() async throws -> FeedDiagnostics { try await run { $0.diagnostics() } }
    func recentLog() async throws -> [String] { try await run { $0.link.log.lines } }
    func stop() async throws { try await run { $0.stop() } }
}
