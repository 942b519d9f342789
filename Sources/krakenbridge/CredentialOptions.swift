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

    /// The API key and secret from files or the environment (nil: none configured). A file
    /// that cannot be read or a secret that is not base64 is a one-line `StartupFailure`
    /// naming the option (never the secret).
    func credentials() throws(StartupFailure) -> APICredentials? {
        let environment = ProcessInfo.processInfo.environment
        let key = try apiKeyFile.map { (path) throws(StartupFailure) in
            try StartupFailure.readFile(path, option: "--api-key-file", holding: "your Kraken API key")
        } ?? environment["KRAKEN_API_KEY"]
        let secret = try apiSecretFile.map { (path) throws(StartupFailure) in
            try StartupFailure.readFile(path, option: "--api-secret-file", holding: "your Kraken API secret (base64)")
        } ?? environment["KRAKEN_API_SECRET"]
        guard let key, let secret else { return nil }
        do {
            return try APICredentials(key: key.trimmingCharacters(in: .whitespacesAndNewlines),
                                      base64Secret: secret.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            switch error {
            case .emptyKey:
                throw StartupFailure(apiKeyFile == nil ? "KRAKEN_API_KEY" : "--api-key-file", apiKeyFile ?? "", "the API key is empty",
                                     "give the key Kraken showed when it was created")
            case .secretNotBase64:
                throw StartupFailure(apiSecretFile == nil ? "KRAKEN_API_SECRET" : "--api-secret-file", apiSecretFile ?? "",
                                     "the API secret is not base64", "give the private key exactly as Kraken showed it")
            }
        }
    }
}
