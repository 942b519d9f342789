import ServiceLifecycle

/// One long-running part of a process (the bridge's hub, a feed, the control server, a
/// heartbeat; a command's main loop) as a service of its `ServiceGroup`. Its `work` — a loop, or
/// nothing but waiting — runs until it finishes by itself or the group tells this part to shut
/// down gracefully (the work is then cancelled); after it, `shutDown` releases what the part
/// holds. A group shuts its parts down one at a time, in the reverse of the order they are
/// listed, each after the one before has returned: so every part is shut down before the parts
/// it depends on (feeds before the bus they publish to, the bus before the journal it writes).
public struct LifecyclePart: Service, CustomStringConvertible {
    public let description: String
    private let work: (@Sendable () async throws -> Void)?
    private let shutDown: @Sendable () async -> Void

    /// A trailing closure is `shutDown` (the part only waits); give `work` by its label.
    public init(
        _ name: String, shutDown: @escaping @Sendable () async -> Void = {}, work: (@Sendable () async throws -> Void)? = nil
    ) {
        description = name
        self.work = work
        self.shutDown = shutDown
    }

    public func run() async throws {
        do {
            if let work {
                try await cancelWhenGracefulShutdown(work)
            } else {
                // Cancellation (the group escalating a slow shutdown) ends the wait just the same.
                try? await gracefulShutdown()
            }
        } catch is CancellationError {
            // The work was cancelled because this part is shutting down: the normal way to end.
        } catch {
            await shutDown()
            throw error
        }
        await shutDown()
    }
}
