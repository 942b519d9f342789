/// Where a setting's value came from, highest precedence first.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    case flag(String)
    case environment(String)
    case file(path: String, key: String)
    case defaultValue

    public var description: String {
        switch self {
        case .flag(let flag): "flag \(flag)"
        case .environment(let variable): "environment \(variable)"
        case .file(let path, let key): "file \(path) (\(key))"
        case .defaultValue: "default"
        }
    }
}

/// A setting that cannot be used: one line naming the key, the value, where it came from and
/// what is allowed.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var source: String
    public var allowed: String

    public init(key: String, value: String, source: String, allowed: String) {
        self.key = key
        self.value = value
        self.source = source
        self.allowed = allowed
    }

    public var description: String {
        "\(key) = '\(value)' (from \(source)): \(allowed)"
    }
}
