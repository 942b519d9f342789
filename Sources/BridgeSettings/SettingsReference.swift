/// A command's settings as the Markdown table docs/configuration.md carries.
public enum SettingsReference {
    public static func markdown(_ settings: [Setting]) -> [String] {
        var lines = ["| key | flag | environment | default | allowed |", "|---|---|---|---|---|"]
        for setting in settings {
            let variables = ([setting.environmentVariable] + setting.environmentAliases).map { "`\($0)`" }.joined(separator: ", ")
            let flag = setting.flag.map { "`\($0)`" } ?? "—"
            let value = setting.defaultValue.map { $0.text.isEmpty ? "(none)" : "`\($0.text)`" } ?? "unset"
            lines.append("| `\(setting.key)` | \(flag) | \(variables) | \(value) | \(setting.allowed)\(setting.isSecret ? " (secret: never shown)" : "") |")
        }
        return lines
    }
}
