import WireFormat

/// Who may run which command on the control socket.
///
/// The ZAP handler authenticates CURVE clients and tags each request with the key's name
/// (the ZAP user id); this policy decides with that name.
public enum ControlAccessPolicy: Sendable, Hashable {
    /// No CURVE on the control endpoint: every command is allowed to everyone.
    case open
    /// CURVE on the control endpoint: any authenticated client may read (list_subscriptions,
    /// diagnostics, health, snapshot, replay, config); only the user ids in `operators` may
    /// mutate (subscribe, unsubscribe, add_pair, remove_pair). A request without a user id was
    /// not authenticated and may run nothing.
    case secured(operators: Set<String>)

    /// Nothing when `userID` may run `command`; otherwise the UNAUTHORIZED error naming it.
    public func check(_ command: ControlCommand.Kind, userID: String?) throws(ControlError) {
        guard case .secured(let operators) = self else { return }
        guard let userID, !userID.isEmpty else {
            throw ControlError(code: .unauthorized, message: "\(command.rawValue) needs an authenticated (CURVE) client")
        }
        guard command.isMutating, !operators.contains(userID) else { return }
        throw ControlError(
            code: .unauthorized, message: "\(command.rawValue) changes the bridge and needs an operator key; '\(userID)' is not one")
    }

    /// Whether `userID` may run `command`.
    public func allows(_ command: ControlCommand.Kind, userID: String?) -> Bool {
        do {
            try check(command, userID: userID)
            return true
        } catch {
            return false
        }
    }
}
