import Configuration

/// One setting of a command: its key in the configuration file (`bus.market_bind`), the flag and
/// the environment variable that set it too, its type, default and allowed values.
public struct Setting: Sendable {
    /// The value's shape (a list is a YAML sequence, a comma-separated variable or flag).
    public enum Kind: Sendable {
        case string, int, bool, stringList

        var configType: ConfigType {
            switch self {
            case .string: .string
            case .int: .int
            case .bool: .bool
            case .stringList: .stringArray
            }
        }
    }

    /// Dotted key, as in the YAML file (`journal.max_age_hours`).
    public let key: String
    /// The command-line flag (`--journal-max-age-hours`), nil when it has none.
    public let flag: String?
    public let kind: Kind
    /// Used when no layer sets it; nil: unset (an optional setting).
    public let defaultValue: ConfigContent?
    /// Never printed: shown as `<redacted>` in `ctl config` and in errors.
    public let isSecret: Bool
    /// What is allowed, in words, for errors.
    public let allowed: String
    /// Older environment variables read after `environmentVariable` (`KRAKEN_API_KEY`).
    public let environmentAliases: [String]
    let isValid: @Sendable (ConfigContent) -> Bool

    public init(
        _ key: String, flag: String?, _ kind: Kind, default defaultValue: ConfigContent? = nil, secret: Bool = false,
        environmentAliases: [String] = [], allowed: String, valid isValid: @escaping @Sendable (ConfigContent) -> Bool = { _ in true }
    ) {
        self.key = key
        self.flag = flag
        self.kind = kind
        self.defaultValue = defaultValue
        self.isSecret = secret
        self.environmentAliases = environmentAliases
        self.allowed = allowed
        self.isValid = isValid
    }

    /// `KRAKENBRIDGE_` and the key's components upper-cased (`KRAKENBRIDGE_JOURNAL_MAX_AGE_HOURS`).
    public var environmentVariable: String {
        "KRAKENBRIDGE_" + key.uppercased().split(separator: ".").joined(separator: "_")
    }

    var configKey: AbsoluteConfigKey { AbsoluteConfigKey(key.split(separator: ".").map(String.init)) }
}

extension ConfigContent {
    /// The value as a person writes it (lists comma-separated).
    public var text: String {
        switch self {
        case .string(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .bytes(let value): "\(value.count) bytes"
        case .stringArray(let values): values.joined(separator: ",")
        case .intArray(let values): values.map(String.init).joined(separator: ",")
        case .doubleArray(let values): values.map { String($0) }.joined(separator: ",")
        case .boolArray(let values): values.map { String($0) }.joined(separator: ",")
        case .byteChunkArray(let values): "\(values.count) byte chunks"
        }
    }
}
