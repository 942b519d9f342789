import Configuration
import Foundation
import SystemPackage
import Yams

/// Resolves a command's settings from four layers, each overriding the one before: the defaults,
/// a YAML file, `KRAKENBRIDGE_…` environment variables, and the flags given. swift-configuration
/// reads the file and the environment; this adds the order, the checks and each value's source.
///
/// Anything it cannot use — a key or variable no setting has (a typo would otherwise be
/// ignored), a value of the wrong type or outside what is allowed, a file that does not parse —
/// is a `SettingsError`, one line.
public struct SettingsResolver: Sendable {
    public let settings: [Setting]

    public init(settings: [Setting]) {
        self.settings = settings
    }

    /// - Parameters:
    ///   - flags: the values of the flags given on the command line, by setting key.
    ///   - environment: the process environment (only `KRAKENBRIDGE_` variables are read).
    ///   - file: the YAML file's path, if one was given.
    public func resolve(flags: [String: ConfigContent], environment: [String: String], file: String?) async throws(SettingsError)
        -> ResolvedSettings
    {
        try checkEnvironmentNames(environment)
        let known = Set(settings.map(\.key))
        var fileProvider: FileProvider<YAMLSnapshot>?
        if let file { fileProvider = try await Self.fileProvider(file, known: known) }
        let environmentProvider = KeyMappingProvider(
            upstream: EnvironmentVariablesProvider(environmentVariables: environment.filter { $0.key.hasPrefix("KRAKENBRIDGE_") })
        ) { key in key.prepending(ConfigKey(["krakenbridge"])) }
        var resolved = ResolvedSettings(settings: settings)
        for setting in settings {
            if let value = flags[setting.key] {
                try resolved.set(setting, value, from: .flag(setting.flag ?? setting.key))
            } else if let found = try Self.lookUp(setting, in: environmentProvider) {
                try resolved.set(setting, found.value, from: .environment(setting.environmentVariable))
            } else if setting.kind == .string, let alias = setting.environmentAliases.first(where: { environment[$0] != nil }) {
                try resolved.set(setting, .string(environment[alias]!), from: .environment(alias))
            } else if let fileProvider, let path = file, let found = try Self.lookUp(setting, in: fileProvider, path: path) {
                try resolved.set(setting, found.value, from: .file(path: path, key: setting.key))
            } else if let value = setting.defaultValue {
                try resolved.set(setting, value, from: .defaultValue)
            }
        }
        return resolved
    }

    private func checkEnvironmentNames(_ environment: [String: String]) throws(SettingsError) {
        let known = Set(settings.map(\.environmentVariable))
        if let unknown = environment.keys.filter({ $0.hasPrefix("KRAKENBRIDGE_") && !known.contains($0) && !Self.ignoredVariables.contains($0) })
            .sorted().first
        {
            throw SettingsError(key: unknown, value: "…", source: "environment \(unknown)",
                                allowed: "no setting has this variable (see docs/configuration.md)")
        }
    }

    /// Variables of the same prefix that belong to the project's scripts and tests, not to a
    /// command's settings.
    static let ignoredVariables: Set<String> = [
        "KRAKENBRIDGE_BIN", "KRAKENBRIDGE_RELEASE_BIN", "KRAKENBRIDGE_VENV", "KRAKENBRIDGE_COMPOSE_VENV", "KRAKENBRIDGE_BUILD_LOCK",
        "KRAKENBRIDGE_REGENERATE_GOLDEN",
    ]

    private static func lookUp(_ setting: Setting, in provider: some ConfigProvider, path: String? = nil) throws(SettingsError)
        -> (value: ConfigContent, encodedKey: String)?
    {
        let source = path.map { "file \($0) (\(setting.key))" } ?? "environment \(setting.environmentVariable)"
        do {
            let result = try provider.value(forKey: setting.configKey, type: setting.kind.configType)
            guard let value = result.value else { return nil }
            return (value.content, result.encodedKey)
        } catch {
            let raw = (try? provider.value(forKey: setting.configKey, type: .string).value?.content.text) ?? "?"
            throw SettingsError(key: setting.key, value: setting.isSecret ? ResolvedSettings.redacted : raw, source: source,
                                allowed: "expected \(Self.describe(setting.kind)); \(setting.allowed)")
        }
    }

    private static func fileProvider(_ path: String, known: Set<String>) async throws(SettingsError) -> FileProvider<YAMLSnapshot> {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SettingsError(key: "config", value: path, source: "flag --config", allowed: "a readable YAML file (it could not be read)")
        }
        let keys: [String]
        do {
            keys = try Self.keys(of: Yams.load(yaml: text) ?? [String: Any]())
        } catch let error as SettingsError {
            throw error
        } catch {
            let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            throw SettingsError(key: "config", value: path, source: "flag --config", allowed: "valid YAML (\(reason))")
        }
        if let unknown = keys.filter({ !known.contains($0) }).sorted().first {
            throw SettingsError(key: unknown, value: "…", source: "file \(path)", allowed: "no setting has this key (see docs/configuration.md)")
        }
        do {
            return try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
        } catch {
            throw SettingsError(key: "config", value: path, source: "flag --config", allowed: "a YAML mapping of settings (\(error))")
        }
    }

    /// The dotted keys of a parsed YAML document's values (mappings are walked, lists are values).
    static func keys(of document: Any, prefix: String = "") throws -> [String] {
        guard let mapping = document as? [String: Any] else {
            throw SettingsError(key: prefix.isEmpty ? "config" : prefix, value: "\(document)", source: "the configuration file",
                                allowed: "a mapping of settings")
        }
        return try mapping.flatMap { key, value -> [String] in
            let dotted = prefix.isEmpty ? key : "\(prefix).\(key)"
            if value is [String: Any] { return try keys(of: value, prefix: dotted) }
            return [dotted]
        }
    }

    static func describe(_ kind: Setting.Kind) -> String {
        switch kind {
        case .string: "text"
        case .int: "a whole number"
        case .bool: "true or false"
        case .stringList: "a list"
        }
    }
}
