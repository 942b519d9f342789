import Logging

/// One log event rendered as a line (without the newline). Pure, so tests pin the format.
///
/// JSON: `{"time":…,"level":…,"label":…,"message":…}` then the metadata keys in sorted order
/// (nested metadata as JSON objects and arrays). Text: `time level label: message key=value …`.
public enum LogLine {
    public static func render(
        _ format: LogFormat, timeNs: Int64, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        switch format {
        case .json: json(timeNs: timeNs, level: level, label: label, message: message, metadata: metadata)
        case .text: text(timeNs: timeNs, level: level, label: label, message: message, metadata: metadata)
        }
    }

    static func json(timeNs: Int64, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var line = "{\"time\":"
        appendJSONString(RFC3339.millisecondsUTC(timeNs), to: &line)
        line += ",\"level\":"
        appendJSONString(level.rawValue, to: &line)
        line += ",\"label\":"
        appendJSONString(label, to: &line)
        line += ",\"message\":"
        appendJSONString(message, to: &line)
        for key in metadata.keys.sorted() where !["time", "level", "label", "message"].contains(key) {
            line += ","
            appendJSONString(key, to: &line)
            line += ":"
            appendJSON(metadata[key]!, to: &line)
        }
        return line + "}"
    }

    static func text(timeNs: Int64, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var line = "\(RFC3339.millisecondsUTC(timeNs)) \(level.rawValue) \(label): \(oneLine(message))"
        for key in metadata.keys.sorted() { line += " \(key)=\(oneLine("\(metadata[key]!)"))" }
        return line
    }

    /// Keeps a text line one line: control characters (newlines, NUL) written as escapes.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20: escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    private static func appendJSON(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let text): appendJSONString(text, to: &line)
        case .stringConvertible(let convertible): appendJSONString(convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSON(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                appendJSONString(key, to: &line)
                line += ":"
                appendJSON(dictionary[key]!, to: &line)
            }
            line += "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259).
    static func appendJSONString(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
