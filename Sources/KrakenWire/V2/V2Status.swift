/// The v2 `status` channel: sent on connect and whenever the engine's state changes.
public struct V2Status: Sendable, Equatable {
    public var system: ExchangeStatus
    public var apiVersion: String
    /// Exceeds `Int64.max` in Kraken's own examples, hence unsigned.
    public var connectionID: UInt64?
    public var version: String

    public init(system: ExchangeStatus, apiVersion: String, connectionID: UInt64?, version: String) {
        self.system = system
        self.apiVersion = apiVersion
        self.connectionID = connectionID
        self.version = version
    }

    static func read(_ reader: inout JSONReader) throws(WireError) -> V2Status {
        let start = reader.offset
        var system: ExchangeStatus?
        var apiVersion: String?
        var connectionID: UInt64?
        var version: String?
        try reader.readObject(field: "data[]") { (key, reader) throws(WireError) in
            if key.equals("system") { system = try ExchangeStatus.read(&reader, field: "system") }
            else if key.equals("api_version") { apiVersion = try reader.readString(field: "api_version") }
            else if key.equals("connection_id") { connectionID = try reader.readUInt64(field: "connection_id") }
            else if key.equals("version") { version = try reader.readString(field: "version") }
            else { try reader.skipValue() }
        }
        return V2Status(
            system: try required(system, "system", at: start), apiVersion: try required(apiVersion, "api_version", at: start),
            connectionID: connectionID, version: try required(version, "version", at: start))
    }
}
