import NIOCore
import NIOPosix
import Testing
import TransportTLS

@Suite("connect failures in words")
struct ConnectionErrorTextTests {
    @Test("a refused connection reads host:port and the system's reason, not NIO's nested debug text")
    func refused() async throws {
        let port = try await HTTPClientTests.closedPort()
        do {
            _ = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            Issue.record("connected to a closed port")
        } catch {
            #expect(ConnectionErrorText.describe(error) == "127.0.0.1:\(port): Connection refused")
        }
    }

    @Test("a connect timeout reads as the time waited")
    func timeout() {
        #expect(ConnectionErrorText.describe(ChannelError.connectTimeout(.milliseconds(2_500))) == "no answer within 2.5 s")
    }
}
