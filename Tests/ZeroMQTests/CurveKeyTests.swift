import Testing
import ZeroMQ

@Suite("CURVE keys")
struct CurveKeyTests {
    /// RFC 32's reference vector: these 8 bytes encode to "HelloWorld"; a CURVE key is the
    /// same alphabet at 32 bytes / 40 characters.
    @Test("a generated key pair round-trips through Z85 and the public key re-derives from the secret")
    func generatedPairRoundTrips() throws {
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.z85.count == 40)
        #expect(try CurveKey(z85: pair.publicKey.z85) == pair.publicKey)
        #expect(try CurveKeyPair(secretKey: pair.secretKey).publicKey == pair.publicKey)
    }

    @Test("the ZeroMQ RFC 26 example server key decodes to its known bytes")
    func knownServerKey() throws {
        // Server public key from the CurveZMQ test vectors (zmq_curve(7)).
        let key = try CurveKey(z85: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7")
        #expect(key.bytes.prefix(4) == [0x54, 0xFC, 0xBA, 0x24])
        #expect(key.z85 == "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7")
    }

    @Test("text of the wrong length is refused with its length")
    func wrongLength() {
        #expect(throws: CurveKeyError.wrongZ85Length(5)) { try CurveKey(z85: "abcde") }
    }

    @Test("characters outside the Z85 alphabet are refused")
    func invalidAlphabet() {
        #expect(throws: CurveKeyError.invalidZ85) { try CurveKey(z85: String(repeating: "~", count: 40)) }
    }

    @Test("raw keys must have 32 bytes")
    func wrongByteCount() {
        #expect(throws: CurveKeyError.wrongByteCount(31)) { try CurveKey(bytes: Array(repeating: 0, count: 31)) }
    }

    @Test("the description never prints the whole key")
    func descriptionIsShort() throws {
        let key = try CurveKeyPair.generate().secretKey
        #expect(!key.description.contains(key.z85))
    }
}
