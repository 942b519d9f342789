import ArgumentParser
import Foundation
import KrakenAuth

/// Kraken API credentials from files or the environment, shared by `run` and `record`. The
/// secret is never printed.
struct CredentialOptions: ParsableArguments {
    @Option(help: "File holding the API key (or set KRAKEN_API_KEY).")
    var apiKeyFile: String?

    @Option(help: "File holding the base64 API secret (or set KRAKEN_API_SECRET).")
    var apiSecretFile: String?

    func validate() throws {
        guard (apiKeyFile == nil) == (apiSecretFile == nil) else { throw ValidationError("--api-key-file and --api-secret-file go together") }
    }

    /// The API key and secret from files or the environment (nil: none configured).
    func credentials() throws -> APICredentials? {
        let environment = ProcessInfo.processInfo.environment
        let key = try apiKeyFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? environment["KRAKEN_API_KEY"]
        let secret = try apiSecretFile.map { try String(contentsOfFile: $0, encoding: .utf8) } ?? environment["KRAKEN_API_SECRET"]
        guard let key, let secret else { return nil }
        return try APICredentials(key: key.trimmingCharacters(in: .whitespacesAndNewlines),
                                  base64Secret: secret.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
