import ArgumentParser
import Foundation
import ZeroMQ
import ZeroMQHub

/// CURVE client settings shared by commands that connect to a secured endpoint.
struct CurveClientOptions: ParsableArguments {
    @Option(help: "The server's public CURVE key (Z85, 40 characters), or a file holding it.")
    var serverKey: String?

    @Option(help: "File with this client's secret CURVE key (Z85), as written by `krakenbridge keygen`.")
    var clientSecretKeyFile: String?

    /// nil when no server key was given (plain connection).
    func security() throws -> CurveSecurity? {
        guard let serverKey else {
            guard clientSecretKeyFile == nil else { throw ValidationError("--client-secret-key-file needs --server-key") }
            return nil
        }
        guard let clientSecretKeyFile else { throw ValidationError("--server-key needs --client-secret-key-file") }
        let server = try CurveKey(z85: try Self.keyText(serverKey))
        let secret = try CurveKey(z85: try String(contentsOfFile: clientSecretKeyFile, encoding: .utf8))
        return .client(serverKey: server, keys: try CurveKeyPair(secretKey: secret))
    }

    /// A key given inline or as a path to a key file.
    static func keyText(_ valueOrPath: String) throws -> String {
        if valueOrPath.count == 40 { return valueOrPath }
        return try String(contentsOfFile: valueOrPath, encoding: .utf8)
    }
}
