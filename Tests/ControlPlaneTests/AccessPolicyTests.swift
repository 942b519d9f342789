import ControlPlane
import Testing
import WireFormat

let mutatingCommands = everyCommand.filter(\.expected.kind.isMutating)
let readCommands = everyCommand.filter { !$0.expected.kind.isMutating }

@Suite("access policy")
struct AccessPolicyTests {
    let secured = ControlAccessPolicy.secured(operators: ["ops"])

    @Test("a reader is refused each mutating command with UNAUTHORIZED naming it; the handler is not called", arguments: mutatingCommands)
    func readerRefused(_ command: CommandCase) async throws {
        let handler = AckHandler()
        let server = ControlServer(handler: handler, policy: secured)
        let frames = await server.process(bodyFrames: try binaryFrames(request(id: 21, command.proto)), userID: "reader")
        let reply = try decodeReply(frames, as: .binary)
        #expect(reply.id == 21)
        #expect(reply.error.code == .unauthorized)
        #expect(reply.error.message == "\(command.name) changes the bridge and needs an operator key; 'reader' is not one")
        #expect(handler.handled.isEmpty)
    }

    @Test("an operator may run each mutating command", arguments: mutatingCommands)
    func operatorAllowed(_ command: CommandCase) async throws {
        let handler = AckHandler()
        let server = ControlServer(handler: handler, policy: secured)
        let reply = try decodeReply(await server.process(bodyFrames: jsonFrames(command.camelJSON), userID: "ops"), as: .json)
        #expect(reply.ack.message == "\(command.name) done")
        #expect(handler.handled == [command.expected])
    }

    @Test("any authenticated client may run each read command", arguments: readCommands)
    func readerReads(_ command: CommandCase) async throws {
        let handler = AckHandler()
        let server = ControlServer(handler: handler, policy: secured)
        let reply = try decodeReply(await server.process(bodyFrames: jsonFrames(command.camelJSON), userID: "reader"), as: .json)
        #expect(reply.ack.message == "\(command.name) done")
        #expect(handler.handled == [command.expected])
    }

    @Test("the open policy allows every command without a user id", arguments: everyCommand)
    func openAllowsAll(_ command: CommandCase) async throws {
        let handler = AckHandler()
        let server = ControlServer(handler: handler, policy: .open)
        let reply = try decodeReply(await server.process(bodyFrames: jsonFrames(command.snakeJSON), userID: nil), as: .json)
        #expect(reply.ack.message == "\(command.name) done")
        #expect(handler.handled == [command.expected])
    }

    @Test("when secured, a request without a user id may run nothing")
    func unauthenticatedRefused() {
        for kind in ControlCommand.Kind.allCases {
            #expect(throws: ControlError(code: .unauthorized, message: "\(kind.rawValue) needs an authenticated (CURVE) client")) {
                try secured.check(kind, userID: nil)
            }
            #expect(!secured.allows(kind, userID: ""))
        }
    }

    @Test("the policy's decisions, command by command")
    func decisions() {
        for kind in ControlCommand.Kind.allCases {
            #expect(secured.allows(kind, userID: "ops"))
            #expect(secured.allows(kind, userID: "reader") == !kind.isMutating)
            #expect(ControlAccessPolicy.open.allows(kind, userID: nil))
        }
    }
}
