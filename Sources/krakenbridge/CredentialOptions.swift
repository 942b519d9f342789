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
        return try Self.credentials(
            keyFile: apiKeyFile, secretFile: apiSecretFile, key: environment["KRAKEN_API_KEY"], secret: environment["KRAKEN_API_SECRET"],
            names: (keyFile: "--api-key-file", secretFile: "--api-secret-file", key: "KRAKEN_API_KEY", secret: "KRAKEN_API_SECRET"))
    }

    /// The credentials from the files if given, else from the values; `names` say where each
    /// came from in an error (never the secret itself).
    static func credentials(
        keyFile: String?, secretFile: String?, key: String?, secret: String?,
        names: (keyFile: String, secretFile: String, key: String, secret: String)
    ) throws(StartupFailure) -> APICredentials? {
        let key = try keyFile.map { (path) throws(StartupFailure) in
            try StartupFailure.readFile(path, option: names.keyFile, holding: "your Kraken API key")
        } ?? key
        let secret = try secretFile.map { (path) throws(StartupFailure) in
            try StartupFailure.readFile(path, option: names.secretFile, holding: "your Kraken API secret (base64)")
        } ?? secret
        guard let key, let secret else { return nil }
        do {
            return try APICredentials(key: key.trimmingCharacters(in: .whitespacesAndNewlines),
                                      base64Secret: secret.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            switch error {
            case .emptyKey:
                throw StartupFailure(keyFile == nil ? names.key : names.keyFile, keyFile ?? "", "the API key is empty",
                                     "give the key Kraken showed when it was created")
            case .secretNotBase64:
                throw StartupFailure(secretFile == nil ? names.secret : names.secretFile, secretFile ?? "",
                                     "the API secret is not base64", "give the private key exactly as Kraken showed it")
            }
        }
    }
}
