import Foundation

/// Why credentials could not be loaded.
public enum CredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyKey
    /// The private key is not valid base64 (Kraken shows it base64-encoded).
    case secretNotBase64

    public var description: String {
        switch self {
        case .emptyKey: "the API key is empty"
        case .secretNotBase64: "the API secret is not valid base64"
        }
    }
}

/// A Kraken API key pair. Its descriptions never reveal the secret (nor the whole key), so it
/// is safe to log by accident.
public struct APICredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let key: String
    let secret: [UInt8]

    /// - Parameters:
    ///   - key: the public API key as Kraken shows it.
    ///   - base64Secret: the private key as Kraken shows it (base64).
    public init(key: String, base64Secret: String) throws(CredentialsError) {
        let key = key.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw .emptyKey }
        guard let secret = Data(base64Encoded: base64Secret.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .secretNotBase64
        }
        self.key = key
        self.secret = Array(secret)
    }

    public var description: String { "APICredentials(key: \(key.prefix(4))…, secret: <redacted>)" }
    public var debugDescription: String { description }
}
