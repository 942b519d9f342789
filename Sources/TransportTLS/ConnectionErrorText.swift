import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A failed connection attempt (or listen) in one readable clause (`127.0.0.1:1: Connection
/// refused`, `cannot resolve ws.kraken.com: …`, `no answer within 10 s`, `Address already in
/// use`), instead of NIO's nested debug descriptions — for logs, `conn:` details and start-up
/// errors an operator reads.
public enum ConnectionErrorText {
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first {
                return "\(error.host):\(error.port): \(describe(failure.error))"
            }
            if let dns = error.dnsAError ?? error.dnsAAAAError {
                return "cannot resolve \(error.host): \(describe(dns))"
            }
            return "\(error.host):\(error.port): no address to connect to"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as ChannelError:
            if case .connectTimeout(let timeout) = error { return "no answer within \(Double(timeout.nanoseconds) / 1e9) s" }
            return "\(error)"
        case let error as NIOSSLError:
            return "TLS: \(error)"
        case let error as BoringSSLError:
            return "TLS: \(error)"
        default:
            return "\(error)"
        }
    }
}
