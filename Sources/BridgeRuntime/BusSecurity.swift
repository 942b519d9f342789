import ZeroMQ

/// CURVE for the bus: one server key pair for all endpoints, and per endpoint the client keys
/// allowed (ZAP), each with a name; on the control endpoint some names are operators, the only
/// ones allowed to change what the bridge does.
public struct BusSecurity: Sendable, Equatable {
    /// A bus endpoint, also the ZAP domain of its socket.
    public enum Endpoint: String, Sendable, CaseIterable {
        case market, account, control
    }

    /// One allowed client key.
    public struct Client: Sendable, Equatable {
        public var endpoint: Endpoint
        public var key: CurveKey
        public var name: String
        public var isOperator: Bool

        public init(endpoint: Endpoint, key: CurveKey, name: String, isOperator: Bool = false) {
            self.endpoint = endpoint
            self.key = key
            self.name = name
            self.isOperator = isOperator
        }
    }

    public var serverKeys: CurveKeyPair
    public var clients: [Client]

    public init(serverKeys: CurveKeyPair, clients: [Client]) {
        self.serverKeys = serverKeys
        self.clients = clients
    }

    /// Names allowed to run mutating control commands.
    public var operators: Set<String> { Set(clients.filter { $0.endpoint == .control && $0.isOperator }.map(\.name)) }
}

/// Why an allowlist file was refused: the line and what is wrong with it.
public struct AllowlistError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public var description: String { "allowlist line \(line): \(reason)" }
}

extension BusSecurity {
    /// Reads an allowlist: one client per line, `ENDPOINT PUBLIC-KEY NAME [operator]`, where
    /// ENDPOINT is market, account or control and PUBLIC-KEY the 40-character Z85 text; a line
    /// whose first non-blank character is `#` is a comment (not `#` elsewhere: Z85 uses it).
    /// `operator` is only meaningful on control.
    public static func parseAllowlist(_ text: String) throws(AllowlistError) -> [Client] {
        var clients: [Client] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let fields = rawLine.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            let number = index + 1
            guard fields.count == 3 || fields.count == 4 else {
                throw AllowlistError(line: number, reason: "expected ENDPOINT PUBLIC-KEY NAME [operator], got \(fields.count) fields")
            }
            guard let endpoint = Endpoint(rawValue: fields[0]) else {
                throw AllowlistError(line: number, reason: "unknown endpoint '\(fields[0])' (market, account or control)")
            }
            let key: CurveKey
            do {
                key = try CurveKey(z85: fields[1])
            } catch {
                throw AllowlistError(line: number, reason: "not a Z85 public key: \(error)")
            }
            var isOperator = false
            if fields.count == 4 {
                guard fields[3] == "operator" else { throw AllowlistError(line: number, reason: "unknown role '\(fields[3])'") }
                guard endpoint == .control else { throw AllowlistError(line: number, reason: "operator applies to control only") }
                isOperator = true
            }
            // Authorization goes by name, so one name must mean one key (and one role) per endpoint.
            if clients.contains(where: { $0.endpoint == endpoint && ($0.name == fields[2] || $0.key == key) }) {
                throw AllowlistError(line: number, reason: "\(endpoint.rawValue) already lists the name '\(fields[2])' or this key")
            }
            clients.append(Client(endpoint: endpoint, key: key, name: fields[2], isOperator: isOperator))
        }
        return clients
    }
}
