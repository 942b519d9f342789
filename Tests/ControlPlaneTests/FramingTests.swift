import ControlPlane
import SwiftProtobuf
import Testing
import WireFormat

@Suite("request framing and reply encoding")
struct FramingTests {
    let server = ControlServer(handler: AckHandler(), policy: .open)

    /// The error of a reply that must be one, in the encoding it must have.
    func error(_ frames: [[UInt8]], as encoding: ControlEncoding) throws -> (id: UInt64, error: KBControlError) {
        #expect(frames.count == 1)
        let reply = try decodeReply(frames, as: encoding)
        guard case .error(let error) = reply.result else {
            Issue.record("not an error reply: \(reply)")
            return (reply.id, KBControlError())
        }
        return (reply.id, error)
    }

    @Test("a JSON request gets a JSON reply with the id echoed")
    func jsonInJSONOut() async throws {
        let frames = await server.process(bodyFrames: jsonFrames(#"{"id":"7","health":{}}"#), userID: nil)
        #expect(frames == [Array(#"{"id":"7","ack":{"message":"health done"}}"#.utf8)])
    }

    @Test("a binary request gets a binary reply with the id echoed")
    func binaryInBinaryOut() async throws {
        let frames = await server.process(bodyFrames: try binaryFrames(request(id: .max, .health(KBHealthCommand()))), userID: nil)
        #expect(frames.count == 1)
        var ack = KBAck()
        ack.message = "health done"
        var expected = KBControlReply()
        expected.id = .max
        expected.ack = ack
        #expect(try decodeReply(frames, as: .binary) == expected)
    }

    @Test("garbage bytes are MALFORMED, answered in binary")
    func garbage() async throws {
        let reply = try error(await server.process(bodyFrames: [[0xFF, 0xFF, 0xFF]], userID: nil), as: .binary)
        #expect(reply.error.code == .malformed)
        #expect(reply.id == 0)
    }

    @Test("broken JSON is MALFORMED, answered in JSON")
    func brokenJSON() async throws {
        let reply = try error(await server.process(bodyFrames: jsonFrames(#"  {"health": "#), userID: nil), as: .json)
        #expect(reply.error.code == .malformed)
    }

    @Test("an empty body frame is MALFORMED")
    func emptyBody() async throws {
        let reply = try error(await server.process(bodyFrames: [[]], userID: nil), as: .binary)
        #expect(reply.error.code == .malformed)
        #expect(reply.error.message == "the request body is empty")
    }

    @Test("no body frame at all is MALFORMED")
    func noFrames() async throws {
        let reply = try error(await server.process(bodyFrames: [], userID: nil), as: .binary)
        #expect(reply.error.code == .malformed)
        #expect(reply.error.message == "a request is exactly one body frame, got 0")
    }

    @Test("two body frames are MALFORMED, answered in the first frame's encoding")
    func twoFrames() async throws {
        let frames = jsonFrames(#"{"health":{}}"#) + jsonFrames(#"{"health":{}}"#)
        let reply = try error(await server.process(bodyFrames: frames, userID: nil), as: .json)
        #expect(reply.error.code == .malformed)
        #expect(reply.error.message == "a request is exactly one body frame, got 2")
    }

    @Test("a body over 65,536 bytes is TOO_LARGE; one of exactly 65,536 is parsed")
    func oversized() async throws {
        let request = #"{"id":"5","health":{}}"#
        let fitting = request + String(repeating: " ", count: 65_536 - request.utf8.count)
        let fits = try decodeReply(await server.process(bodyFrames: jsonFrames(fitting), userID: nil), as: .json)
        #expect(fits.id == 5)
        #expect(fits.ack.message == "health done")

        let reply = try error(await server.process(bodyFrames: jsonFrames(fitting + " "), userID: nil), as: .json)
        #expect(reply.error.code == .tooLarge)
        #expect(reply.id == 0)  // not parsed, so not known
        #expect(reply.error.message == "the request is 65537 bytes; the limit is 65536")
    }

    @Test("the size limit is configurable")
    func configurableLimit() async throws {
        let small = ControlServer(handler: AckHandler(), policy: .open, maxBodyBytes: 16)
        let reply = try error(await small.process(bodyFrames: jsonFrames(#"{"diagnostics":{}}"#), userID: nil), as: .json)
        #expect(reply.error.code == .tooLarge)
        let fits = try decodeReply(await small.process(bodyFrames: jsonFrames(#"{"health":{}}"#), userID: nil), as: .json)
        #expect(fits.ack.message == "health done")
    }

    @Test("an unknown JSON field is MALFORMED naming it, at the top level or inside a command, id still echoed")
    func unknownJSONField() async throws {
        let top = try error(await server.process(bodyFrames: jsonFrames(#"{"id":"3","helth":{}}"#), userID: nil), as: .json)
        #expect(top.id == 3)
        #expect(top.error.code == .malformed)
        #expect(top.error.field == "helth")
        #expect(top.error.message == "unknown field 'helth'")
        let nested = try error(
            await server.process(bodyFrames: jsonFrames(#"{"subscribe":{"chanels":["book"],"symbols":["BTC/USD"]}}"#), userID: nil),
            as: .json)
        #expect(nested.id == 0)
        #expect(nested.error.code == .malformed)
        #expect(nested.error.field == "chanels")
    }

    @Test("two commands in one JSON request are MALFORMED")
    func twoCommands() async throws {
        let reply = try error(await server.process(bodyFrames: jsonFrames(#"{"health":{},"config":{}}"#), userID: nil), as: .json)
        #expect(reply.error.code == .malformed)
        #expect(reply.error.message == "more than one command is set")
    }

    @Test("a binary request whose command this version does not know is UNKNOWN_COMMAND, id echoed")
    func unknownBinaryCommand() async throws {
        // id 9, then field 30 (a newer client's command: an empty message), kept as unknown fields.
        let body: [UInt8] = [0x08, 0x09, 0xF2, 0x01, 0x00]
        let reply = try error(await server.process(bodyFrames: [body], userID: nil), as: .binary)
        #expect(reply.error.code == .unknownCommand)
        #expect(reply.id == 9)
    }

    @Test("a JSON request without a command is UNKNOWN_COMMAND, id echoed")
    func noCommandJSON() async throws {
        let reply = try error(await server.process(bodyFrames: jsonFrames(#"{"id":"4"}"#), userID: nil), as: .json)
        #expect(reply.error.code == .unknownCommand)
        #expect(reply.id == 4)
    }

    @Test("an invalid argument reply carries the field, in the request's encoding, id echoed")
    func invalidArgumentReply() async throws {
        let reply = try error(
            await server.process(bodyFrames: jsonFrames(#"{"id":"8","addPair":{"symbol":"DOGEUSD"}}"#), userID: nil), as: .json)
        #expect(reply.id == 8)
        #expect(reply.error.code == .invalidArgument)
        #expect(reply.error.field == "symbol")
    }

    @Test("encoding detection: JSON only when the first non-whitespace byte is '{'")
    func detection() {
        #expect(ControlEncoding.detect(Array(" \t\r\n{".utf8)) == .json)
        #expect(ControlEncoding.detect(Array("[1]".utf8)) == .binary)
        #expect(ControlEncoding.detect(Array("   ".utf8)) == .binary)
        #expect(ControlEncoding.detect([]) == .binary)
        #expect(ControlEncoding.detect([0x08, 0x01, 0x7B]) == .binary)
    }
}
