import SwiftProtobuf

/// A protobuf message that travels as a bus payload, with the header message type naming it.
public protocol BusPayloadMessage: SwiftProtobuf.Message {
    static var busMessageType: KBMessageType { get }
    /// The encoded length when this type encodes itself by hand (`DirectlyEncodedPayload`);
    /// nil for the rest, which SwiftProtobuf encodes.
    var directPayloadSize: Int? { get }
    /// Writes the hand encoding (only called when `directPayloadSize` is not nil).
    func writeDirectPayload(into buffer: UnsafeMutableRawBufferPointer)
}

extension BusPayloadMessage {
    public var directPayloadSize: Int? { nil }
    public func writeDirectPayload(into buffer: UnsafeMutableRawBufferPointer) {
        preconditionFailure("\(Self.self) has no direct encoding")
    }
}

extension BusPayloadMessage where Self: DirectlyEncodedPayload {
    public var directPayloadSize: Int? { directEncodedSize }
    public func writeDirectPayload(into buffer: UnsafeMutableRawBufferPointer) { directEncode(into: buffer) }
}

extension KBBookSnapshot: BusPayloadMessage { public static var busMessageType: KBMessageType { .bookSnapshot } }
extension KBBookUpdate: BusPayloadMessage { public static var busMessageType: KBMessageType { .bookUpdate } }
extension KBBookTop: BusPayloadMessage { public static var busMessageType: KBMessageType { .bookTop } }
extension KBTrade: BusPayloadMessage { public static var busMessageType: KBMessageType { .trade } }
extension KBTicker: BusPayloadMessage { public static var busMessageType: KBMessageType { .ticker } }
extension KBOhlc: BusPayloadMessage { public static var busMessageType: KBMessageType { .ohlc } }
extension KBSpread: BusPayloadMessage { public static var busMessageType: KBMessageType { .spread } }
extension KBInstrument: BusPayloadMessage { public static var busMessageType: KBMessageType { .instrument } }
extension KBExecutionReport: BusPayloadMessage { public static var busMessageType: KBMessageType { .executionReport } }
extension KBFill: BusPayloadMessage { public static var busMessageType: KBMessageType { .fill } }
extension KBBalance: BusPayloadMessage { public static var busMessageType: KBMessageType { .balance } }
extension KBExchangeStatus: BusPayloadMessage { public static var busMessageType: KBMessageType { .exchangeStatus } }
extension KBConnectionStatus: BusPayloadMessage { public static var busMessageType: KBMessageType { .connectionStatus } }
extension KBBookReset: BusPayloadMessage { public static var busMessageType: KBMessageType { .bookReset } }
extension KBGap: BusPayloadMessage { public static var busMessageType: KBMessageType { .gap } }
extension KBTopicHeartbeat: BusPayloadMessage { public static var busMessageType: KBMessageType { .topicHeartbeat } }
extension KBServiceHeartbeat: BusPayloadMessage { public static var busMessageType: KBMessageType { .serviceHeartbeat } }
extension KBSnapshotEnd: BusPayloadMessage { public static var busMessageType: KBMessageType { .snapshotEnd } }
extension KBControlRequest: BusPayloadMessage { public static var busMessageType: KBMessageType { .controlRequest } }
extension KBControlReply: BusPayloadMessage { public static var busMessageType: KBMessageType { .controlReply } }

/// A decoded payload, one case per message type of the contract. Types this reader does not
/// know arrive as `unknown`: readers skip them (they are newer additions), never fail on them.
public enum BusPayload: Sendable, Equatable {
    case bookSnapshot(KBBookSnapshot)
    case bookUpdate(KBBookUpdate)
    case bookTop(KBBookTop)
    case trade(KBTrade)
    case ticker(KBTicker)
    case ohlc(KBOhlc)
    case spread(KBSpread)
    case instrument(KBInstrument)
    case executionReport(KBExecutionReport)
    case fill(KBFill)
    case balance(KBBalance)
    case exchangeStatus(KBExchangeStatus)
    case connectionStatus(KBConnectionStatus)
    case bookReset(KBBookReset)
    case gap(KBGap)
    case topicHeartbeat(KBTopicHeartbeat)
    case serviceHeartbeat(KBServiceHeartbeat)
    case snapshotEnd(KBSnapshotEnd)
    case controlRequest(KBControlRequest)
    case controlReply(KBControlReply)
    case unknown(messageType: UInt16)

    /// Decodes `bytes` as the message `messageType` names.
    public init(messageType: UInt16, bytes: [UInt8]) throws(FrameDecodingError) {
        func parse<M: BusPayloadMessage>(_: M.Type) throws(FrameDecodingError) -> M {
            do {
                return try M(serializedBytes: bytes)
            } catch {
                throw .invalidPayload(messageType: messageType, reason: "\(error)")
            }
        }
        switch KBMessageType(rawValue: Int(messageType)) {
        case .bookSnapshot: self = .bookSnapshot(try parse(KBBookSnapshot.self))
        case .bookUpdate: self = .bookUpdate(try parse(KBBookUpdate.self))
        case .bookTop: self = .bookTop(try parse(KBBookTop.self))
        case .trade: self = .trade(try parse(KBTrade.self))
        case .ticker: self = .ticker(try parse(KBTicker.self))
        case .ohlc: self = .ohlc(try parse(KBOhlc.self))
        case .spread: self = .spread(try parse(KBSpread.self))
        case .instrument: self = .instrument(try parse(KBInstrument.self))
        case .executionReport: self = .executionReport(try parse(KBExecutionReport.self))
        case .fill: self = .fill(try parse(KBFill.self))
        case .balance: self = .balance(try parse(KBBalance.self))
        case .exchangeStatus: self = .exchangeStatus(try parse(KBExchangeStatus.self))
        case .connectionStatus: self = .connectionStatus(try parse(KBConnectionStatus.self))
        case .bookReset: self = .bookReset(try parse(KBBookReset.self))
        case .gap: self = .gap(try parse(KBGap.self))
        case .topicHeartbeat: self = .topicHeartbeat(try parse(KBTopicHeartbeat.self))
        case .serviceHeartbeat: self = .serviceHeartbeat(try parse(KBServiceHeartbeat.self))
        case .snapshotEnd: self = .snapshotEnd(try parse(KBSnapshotEnd.self))
        case .controlRequest: self = .controlRequest(try parse(KBControlRequest.self))
        case .controlReply: self = .controlReply(try parse(KBControlReply.self))
        case .unspecified, .UNRECOGNIZED, nil: self = .unknown(messageType: messageType)
        }
    }

    /// The message inside, for generic handling (text or JSON rendering); nil for `unknown`.
    public var message: (any SwiftProtobuf.Message)? {
        switch self {
        case .bookSnapshot(let m): m
        case .bookUpdate(let m): m
        case .bookTop(let m): m
        case .trade(let m): m
        case .ticker(let m): m
        case .ohlc(let m): m
        case .spread(let m): m
        case .instrument(let m): m
        case .executionReport(let m): m
        case .fill(let m): m
        case .balance(let m): m
        case .exchangeStatus(let m): m
        case .connectionStatus(let m): m
        case .bookReset(let m): m
        case .gap(let m): m
        case .topicHeartbeat(let m): m
        case .serviceHeartbeat(let m): m
        case .snapshotEnd(let m): m
        case .controlRequest(let m): m
        case .controlReply(let m): m
        case .unknown: nil
        }
    }
}
