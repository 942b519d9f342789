import CZeroMQ

/// The socket patterns KrakenBridge uses.
public enum ZMQSocketType: Sendable, CaseIterable, CustomStringConvertible {
    case pub, xpub, sub, xsub, router, dealer, req, rep, pair, push, pull

    var rawValue: Int32 {
        switch self {
        case .pub: ZMQ_PUB
        case .xpub: ZMQ_XPUB
        case .sub: ZMQ_SUB
        case .xsub: ZMQ_XSUB
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .pair: ZMQ_PAIR
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        }
    }

    public var description: String {
        switch self {
        case .pub: "PUB"
        case .xpub: "XPUB"
        case .sub: "SUB"
        case .xsub: "XSUB"
        case .router: "ROUTER"
        case .dealer: "DEALER"
        case .req: "REQ"
        case .rep: "REP"
        case .pair: "PAIR"
        case .push: "PUSH"
        case .pull: "PULL"
        }
    }
}
