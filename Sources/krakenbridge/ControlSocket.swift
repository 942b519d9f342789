import ZeroMQ
import ZeroMQHub

/// A REQ socket to a bridge's control endpoint, as `ctl` and `top` use it: no linger, a receive
/// deadline, and CURVE when a server key was given.
enum ControlSocket {
    static func open(context: ZMQContext, endpoint: String, security: CurveSecurity?, timeoutMs: Int32) throws -> ZMQSocket {
        let socket = try ZMQSocket(context: context, type: .req)
        try socket.set(.linger, 0)
        try socket.set(.receiveTimeout, timeoutMs)
        if case .some(.client(let serverKey, let keys)) = security {
            try socket.set(.curveServerKey, serverKey)
            try socket.set(.curvePublicKey, keys.publicKey)
            try socket.set(.curveSecretKey, keys.secretKey)
        }
        try socket.connect(endpoint)
        return socket
    }
}
