import Foundation
import HTTPTransport
import KrakenSimulatorServer
import KrakenWire
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing
import TransportTLS
import WebSocketTransport

/// With TLS on, the simulator serves wss:// and https:// with a certificate signed by a CA it
/// generated, and writes that CA so clients can trust it.
@Suite struct SimulatorTLSTests {
    private static func withAuthority(_ body: (SelfSignedAuthority, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kbsim-tls-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try SelfSignedAuthority()
        let caPath = try authority.write(to: directory)
        try await body(authority, caPath)
    }

    @Test func writesTheCAAndAnOwnerOnlyKey() async throws {
        try await Self.withAuthority { authority, caPath in
            let directory = (caPath as NSString).deletingLastPathComponent
            #expect(try String(contentsOfFile: caPath, encoding: .utf8) == authority.caPEM)
            #expect(authority.caPEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
            let keyPath = (directory as NSString).appendingPathComponent("server-key.pem")
            let permissions = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            #expect(FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("server.pem")))
        }
    }

    @Test func wssClientTrustingTheWrittenCAGetsTheStatusFirst() async throws {
        try await Self.withAuthority { authority, caPath in
            try await SimulatorHarness.run(configure: { $0.tls = authority }) { harness in
                let tls = try ClientTLS.context(trustingCAFile: caPath)
                for host in ["127.0.0.1", "localhost"] {
                    let client = try await WebSocketClient.connect(
                        host: host, port: harness.server.ports.public, path: "/v2",
                        group: MultiThreadedEventLoopGroup.singleton, tls: tls)
                    var reader = FrameReader(client, timeout: .seconds(20))
                    let status = try await reader.nextStatus()
                    #expect(status.system == .online)
                    try await reader.send(#"{"method":"ping","req_id":7}"#)
                    let pong = try await reader.nextResponse()
                    #expect(pong.method == .pong)
                    #expect(pong.requestID == 7)
                    await reader.close()
                }
            }
        }
    }

    @Test func httpsRESTAnswersOverTLSAndTheControlAPIStaysPlain() async throws {
        try await Self.withAuthority { authority, caPath in
            try await SimulatorHarness.run(configure: { $0.tls = authority }) { harness in
                let response = try await HTTPClient.request(
                    host: "127.0.0.1", port: harness.server.ports.rest, path: "/0/public/SystemStatus",
                    tls: try ClientTLS.context(trustingCAFile: caPath))
                #expect(response.status == 200)
                #expect(response.text.contains(#""status":"online""#))
                let health = try await harness.control(.GET, "/health")
                #expect(health.status == 200)
            }
        }
    }

    @Test func aClientThatDoesNotTrustTheCAIsRefused() async throws {
        try await Self.withAuthority { authority, _ in
            try await SimulatorHarness.run(configure: { $0.tls = authority }) { harness in
                // The system trust store does not hold the simulator's CA.
                let systemTrust = try ClientTLS.context()
                await #expect(throws: (any Error).self) {
                    let client = try await WebSocketClient.connect(
                        host: "127.0.0.1", port: harness.server.ports.public, path: "/v2",
                        group: MultiThreadedEventLoopGroup.singleton, tls: systemTrust)
                    await client.close()
                }
                // Another simulator's CA does not vouch for this one's certificate either.
                let otherDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("kbsim-other-\(UUID().uuidString)").path
                defer { try? FileManager.default.removeItem(atPath: otherDirectory) }
                let otherCA = try SelfSignedAuthority().write(to: otherDirectory)
                await #expect(throws: (any Error).self) {
                    _ = try await HTTPClient.request(
                        host: "127.0.0.1", port: harness.server.ports.rest, path: "/0/public/SystemStatus",
                        timeout: .seconds(5), tls: try ClientTLS.context(trustingCAFile: otherCA))
                }
            }
        }
    }

    @Test func aPlainClientCannotTalkToATLSListener() async throws {
        try await Self.withAuthority { authority, _ in
            try await SimulatorHarness.run(configure: { $0.tls = authority }) { harness in
                await #expect(throws: (any Error).self) {
                    let client = try await WebSocketClient.connect(
                        host: "127.0.0.1", port: harness.server.ports.public, path: "/v2",
                        group: MultiThreadedEventLoopGroup.singleton)
                    await client.close()
                }
            }
        }
    }
}
