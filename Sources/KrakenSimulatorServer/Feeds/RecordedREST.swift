import KrakenCapture
import KrakenWire

/// The REST answers of a recording, served while it replays, so a replayed bridge is told what
/// the recorded client was told: AssetPairs, and for an account recording OpenOrders,
/// ClosedOrders and TradesHistory as recorded and QueryOrders assembled from every order those
/// answers hold (tokens are issued as usual: a recording never keeps its token).
public struct RecordedREST: Sendable {
    /// Every answer recorded per path, in order.
    public var bodies: [String: [[UInt8]]]

    public init(bodies: [String: [[UInt8]]] = [:]) {
        self.bodies = bodies
    }

    public init(_ recording: CaptureRecording) {
        var bodies: [String: [[UInt8]]] = [:]
        for event in recording.events where event.direction == .rest {
            guard let path = event.path else { continue }
            bodies[path, default: []].append(event.text)
        }
        self.init(bodies: bodies)
    }

    /// The last answer recorded for `path`.
    public func latest(_ path: String) -> [UInt8]? { bodies[path]?.last }

    public static let assetPairsPath = "/0/public/AssetPairs"
    static let orderAnswerPaths = ["/0/private/OpenOrders", "/0/private/ClosedOrders", "/0/private/QueryOrders"]
    /// The private calls a replay answers from the recording (tokens are issued as usual).
    static let replayedPrivatePaths = orderAnswerPaths + ["/0/private/TradesHistory"]

    /// `{"error":[],"result":{"<txid>":{…},…}}` for the requested ids that any recorded order
    /// answer holds (the latest recorded state of each), in the order asked; unknown ids are
    /// left out, as the simulator's own QueryOrders does. Each order's JSON is copied byte for
    /// byte, so its digits are Kraken's.
    public func queryOrders(ids: [String]) -> [UInt8] {
        var known: [String: ArraySlice<UInt8>] = [:]
        for path in Self.orderAnswerPaths {
            for body in bodies[path] ?? [] {
                for (id, order) in Self.orders(in: body) { known[id] = order }
            }
        }
        var answer = Array(#"{"error":[],"result":{"#.utf8)
        var seen: Set<String> = []
        var first = true
        for id in ids where seen.insert(id).inserted {
            guard let order = known[id] else { continue }
            if !first { answer.append(UInt8(ascii: ",")) }
            first = false
            answer += Array("\"\(id)\":".utf8)
            answer += order
        }
        answer += Array("}}".utf8)
        return answer
    }

    /// The orders of an OpenOrders (`result.open`), ClosedOrders (`result.closed`) or
    /// QueryOrders (`result`) answer, each as its raw JSON text; none when the body is not one.
    static func orders(in body: [UInt8]) -> [(id: String, json: ArraySlice<UInt8>)] {
        body.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            var found: [(id: String, json: ArraySlice<UInt8>)] = []
            func readOrders(_ reader: inout JSONReader) throws(WireError) {
                try reader.readObject { (id, reader) throws(WireError) in
                    guard try reader.peek() == UInt8(ascii: "{") else { return try reader.skipValue() }
                    let start = reader.offset
                    try reader.skipValue()
                    found.append((id.string, body[start..<reader.offset]))
                }
            }
            do {
                try reader.readObject { (key, reader) throws(WireError) in
                    guard key.equals("result"), try reader.peek() == UInt8(ascii: "{") else { return try reader.skipValue() }
                    // QueryOrders keys the orders directly; OpenOrders/ClosedOrders nest them. The
                    // probe is a copy: `reader` stays at the object's start.
                    var nested = false
                    var probe = reader
                    try probe.readObject { (member, probe) throws(WireError) in
                        if member.equals("open") || member.equals("closed") { nested = true }
                        try probe.skipValue()
                    }
                    guard nested else { return try readOrders(&reader) }
                    try reader.readObject { (member, reader) throws(WireError) in
                        guard member.equals("open") || member.equals("closed") else { return try reader.skipValue() }
                        try readOrders(&reader)
                    }
                }
            } catch {
                return []
            }
            return found
        }
    }
}
