import Synchronization
import ZeroMQ

/// The client public keys allowed per ZAP domain (one domain per secured endpoint), each with
/// the name that becomes the connection's ZAP `User-Id`. Safe to update while running.
public final class ZAPAllowlist: Sendable {
    private let domains: Mutex<[String: [CurveKey: String]]>

    public init(_ initial: [String: [CurveKey: String]] = [:]) {
        domains = Mutex(initial)
    }

    /// Allows `key` on `domain`; connections with it carry `userID`.
    public func allow(_ key: CurveKey, as userID: String, on domain: String) {
        domains.withLock { $0[domain, default: [:]][key] = userID }
    }

    public func revoke(_ key: CurveKey, on domain: String) {
        domains.withLock { _ = $0[domain]?.removeValue(forKey: key) }
    }

    /// The user id for `key` on `domain`, or nil when the key is not allowed there.
    public func userID(for key: CurveKey, on domain: String) -> String? {
        domains.withLock { $0[domain]?[key] }
    }
}

/// One ZAP (RFC 27) request as libzmq sends it, and the decision on it.
struct ZAPRequest: Equatable {
    var version: [UInt8]
    var requestID: [UInt8]
    var domain: String
    var address: String
    var mechanism: String
    var credentials: [[UInt8]]

    /// Parses the frames after the REP socket stripped the envelope; nil if malformed.
    init?(frames: [[UInt8]]) {
        guard frames.count >= 6 else { return nil }
        version = frames[0]
        requestID = frames[1]
        domain = String(decoding: frames[2], as: UTF8.self)
        address = String(decoding: frames[3], as: UTF8.self)
        mechanism = String(decoding: frames[5], as: UTF8.self)
        credentials = Array(frames.dropFirst(6))
    }

    enum Decision: Equatable {
        case allow(userID: String)
        case deny(String)
    }

    /// Only CURVE clients whose long-term key is on the domain's allowlist get in.
    func decide(with allowlist: ZAPAllowlist) -> Decision {
        guard version == Array("1.0".utf8) else { return .deny("unsupported ZAP version") }
        guard mechanism == "CURVE" else { return .deny("mechanism \(mechanism) not allowed") }
        guard let keyBytes = credentials.first, let key = try? CurveKey(bytes: keyBytes) else {
            return .deny("missing client key")
        }
        guard let userID = allowlist.userID(for: key, on: domain) else {
            return .deny("client key not allowed on \(domain)")
        }
        return .allow(userID: userID)
    }

    func reply(to decision: Decision) -> [[UInt8]] {
        switch decision {
        case .allow(let userID):
            [Array("1.0".utf8), requestID, Array("200".utf8), Array("OK".utf8), Array(userID.utf8), []]
        case .deny(let reason):
            [Array("1.0".utf8), requestID, Array("400".utf8), Array(reason.utf8), [], []]
        }
    }
}
