import BridgeRuntime
import BridgeSettings
import Foundation

/// A start-up error as one line naming the option, the value given and what to do, printed
/// by the argument parser as `Error: …` without a usage text (the usage was not the problem).
struct StartupFailure: Error, CustomStringConvertible {
    let description: String

    init(_ option: String, _ value: String, _ problem: String, _ remedy: String) {
        description = "\(option) \(value): \(problem); \(remedy)"
    }

    /// A setting that cannot be used (key, value, source, what is allowed).
    init(_ error: SettingsError) {
        description = error.description
    }

    /// What `run` says when the bridge did not start.
    init(_ error: BridgeStartError, binds: [(option: String, endpoint: String)], metricsOption: String = "--metrics-bind") {
        switch error {
        case .journal(let path, let reason):
            self.init("--journal-path", path, reason, "give a writable file path, or run with --no-journal")
        case .bind(let endpoint, let reason):
            let option = binds.first { $0.endpoint == endpoint }?.option ?? "bind"
            self.init(option, endpoint, reason, Self.remedy(forBindFailure: reason, example: "tcp://127.0.0.1:*"))
        case .metrics(let address, let reason):
            self.init(metricsOption, address, reason, Self.remedy(forBindFailure: reason, example: "127.0.0.1:0"))
        }
    }

    static func remedy(forBindFailure reason: String, example: String) -> String {
        if reason.localizedCaseInsensitiveContains("in use") {
            return "another process listens there (another bridge or simulator?): stop it or choose another address (\(example) picks a free port)"
        }
        if reason.localizedCaseInsensitiveContains("assign requested address") || reason.localizedCaseInsensitiveContains("no such device") {
            return "that address is not one of this host's: use 127.0.0.1, 0.0.0.0 or one of its interfaces"
        }
        return "check the address (\(example) binds loopback on a free port)"
    }

    /// The trimmed text of a file an option names, or a failure saying why it cannot be read.
    static func readFile(_ path: String, option: String, holding what: String) throws(StartupFailure) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StartupFailure(option, path, "no such file", "give the path of the file holding \(what)")
        }
        guard !isDirectory.boolValue else {
            throw StartupFailure(option, path, "is a directory", "give the path of the file holding \(what)")
        }
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path) else {
            throw StartupFailure(option, path, "cannot be read by this user", "check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StartupFailure(option, path, "is not UTF-8 text", "it should hold \(what)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
