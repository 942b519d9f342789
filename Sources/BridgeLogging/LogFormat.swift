/// How log lines are written: one JSON object per line (for containers and log shippers) or
/// readable text (for a terminal).
public enum LogFormat: String, Sendable, CaseIterable {
    case json
    case text

    /// Text on a terminal, JSON otherwise (a container's stderr is not a terminal).
    public static func automatic(standardErrorIsTerminal: Bool) -> LogFormat {
        standardErrorIsTerminal ? .text : .json
    }
}
