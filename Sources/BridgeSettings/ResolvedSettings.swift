import Configuration

/// A command's settings after resolution: each value with the layer it came from.
public struct ResolvedSettings: Sendable {
    public static let redacted = "<redacted>"

    public let settings: [Setting]
    private var values: [String: ConfigContent] = [:]
    private var sources: [String: SettingSource] = [:]

    init(settings: [Setting]) {
        self.settings = settings
    }

    mutating func set(_ setting: Setting, _ value: ConfigContent, from source: SettingSource) throws(SettingsError) {
        guard setting.isValid(value) else {
            // In a list, name the first element that is not allowed.
            var shown = value
            if case .stringArray(let elements) = value, let bad = elements.first(where: { !setting.isValid(.stringArray([$0])) }) {
                shown = .string(bad)
            }
            throw SettingsError(key: setting.key, value: setting.isSecret ? Self.redacted : shown.text, source: source.description,
                                allowed: setting.allowed)
        }
        values[setting.key] = value
        sources[setting.key] = source
    }

    public func string(_ key: String) -> String? {
        if case .string(let value) = values[key] { value } else { nil }
    }

    public func int(_ key: String) -> Int? {
        if case .int(let value) = values[key] { value } else { nil }
    }

    public func bool(_ key: String) -> Bool? {
        if case .bool(let value) = values[key] { value } else { nil }
    }

    public func strings(_ key: String) -> [String]? {
        if case .stringArray(let value) = values[key] { value } else { nil }
    }

    public func source(of key: String) -> SettingSource? { sources[key] }

    /// Every setting, one line each in the catalogue's order: `key = value (source)`, or
    /// `key unset` (secrets redacted).
    public var table: [String] {
        settings.map { setting in
            guard let value = values[setting.key], let source = sources[setting.key] else { return "\(setting.key) unset" }
            return "\(setting.key) = \(setting.isSecret ? Self.redacted : value.text) (\(source))"
        }
    }

    /// Every setting that has a value, in the catalogue's order: key, value as text (secrets
    /// redacted) and where it came from. What `ctl config` shows.
    public var report: [(key: String, value: String, source: String)] {
        settings.compactMap { setting in
            guard let value = values[setting.key], let source = sources[setting.key] else { return nil }
            return (setting.key, setting.isSecret ? Self.redacted : value.text, source.description)
        }
    }
}
