import HTTPTransport
import NIOCore
import NIOPosix
import Testing

@Suite("the REST client's failures")
struct HTTPClientTests {
    /// A loopback port that was just bound and released: nothing listens there.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    @Test("a refused connection is an error thrown to the caller, repeatedly, never a leaked promise (which NIO traps on)")
    func aRefusedConnectionThrows() async throws {
        let port = try await Self.closedPort()
        for _ in 0..<3 {
            await #expect(throws: (any Error).self) {
                _ = try await HTTPClient.request(host: "127.0.0.1", port: port, path: "/0/public/AssetPairs", timeout: .seconds(2))
            }
        }
    }
}
