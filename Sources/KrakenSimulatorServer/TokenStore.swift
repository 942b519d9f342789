import SeededRandom

/// WebSocket tokens handed out by REST `GetWebSocketsToken`: each must be used to establish a
/// connection within its lifetime (Kraken: 15 minutes); a connection that subscribed with a valid
/// token keeps working after that.
struct TokenStore {
    static let lifetimeSeconds: Int64 = 900
    private var issued: [String: Int64] = [:]
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed ^ 0x70_6B_65_6E)
    }

    /// A new token, 43 characters like Kraken's.
    mutating func issue(nowNs: Int64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bytes: [UInt8] = []
        for _ in 0..<43 { bytes.append(alphabet[Int(random.next() % 64)]) }
        let token = String(decoding: bytes, as: UTF8.self)
        issued[token] = nowNs
        issued = issued.filter { nowNs - $0.value <= Self.lifetimeSeconds * 2 * 1_000_000_000 }
        return token
    }

    func isValid(_ token: String, nowNs: Int64) -> Bool {
        guard let issuedAt = issued[token] else { return false }
        return nowNs - issuedAt <= Self.lifetimeSeconds * 1_000_000_000
    }
}
