import CZeroMQ

/// Why a text could not be read as a CURVE key.
public enum CurveKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Z85 keys are exactly 40 characters.
    case wrongZ85Length(Int)
    /// The text is not valid Z85.
    case invalidZ85
    /// Raw keys are exactly 32 bytes.
    case wrongByteCount(Int)
    /// libzmq was built without CURVE support.
    case curveUnavailable

    public var description: String {
        switch self {
        case .wrongZ85Length(let n): "a Z85 CURVE key has 40 characters, got \(n)"
        case .invalidZ85: "not a valid Z85 CURVE key"
        case .wrongByteCount(let n): "a CURVE key has 32 bytes, got \(n)"
        case .curveUnavailable: "libzmq was built without CURVE support"
        }
    }
}

/// A 32-byte CURVE key (public or secret), convertible to and from its 40-character Z85 text.
public struct CurveKey: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(CurveKeyError) {
        guard bytes.count == 32 else { throw .wrongByteCount(bytes.count) }
        self.bytes = bytes
    }

    public init(z85 text: String) throws(CurveKeyError) {
        let trimmed = text.trimmingWhitespace()
        let utf8 = Array(trimmed.utf8)
        guard utf8.count == 40 else { throw .wrongZ85Length(utf8.count) }
        var decoded = [UInt8](repeating: 0, count: 32)
        let ok = decoded.withUnsafeMutableBufferPointer { out in
            zmq_z85_decode(out.baseAddress, trimmed) != nil
        }
        guard ok else { throw .invalidZ85 }
        self.bytes = decoded
    }

    /// The 40-character Z85 text.
    public var z85: String {
        var text = [CChar](repeating: 0, count: 41)
        bytes.withUnsafeBufferPointer { raw in
            _ = zmq_z85_encode(&text, raw.baseAddress, 32)
        }
        return String(nulTerminated: text)
    }

    /// Only the first characters, so logs can name a key without printing a secret.
    public var description: String { "CurveKey(\(z85.prefix(8))…)" }
}

/// A CURVE long-term key pair.
public struct CurveKeyPair: Sendable, Hashable {
    public let publicKey: CurveKey
    public let secretKey: CurveKey

    /// A fresh random pair from libzmq (libsodium).
    public static func generate() throws(CurveKeyError) -> CurveKeyPair {
        guard ZMQLibrary.has("curve") else { throw .curveUnavailable }
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else { throw .curveUnavailable }
        return CurveKeyPair(
            publicKey: try CurveKey(z85: String(nulTerminated: publicText)),
            secretKey: try CurveKey(z85: String(nulTerminated: secretText)))
    }

    public init(publicKey: CurveKey, secretKey: CurveKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Re-derives the public key from a secret key.
    public init(secretKey: CurveKey) throws(CurveKeyError) {
        var publicText = [CChar](repeating: 0, count: 41)
        let secretText = secretKey.z85
        guard zmq_curve_public(&publicText, secretText) == 0 else { throw .curveUnavailable }
        self.publicKey = try CurveKey(z85: String(nulTerminated: publicText))
        self.secretKey = secretKey
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

extension String {
    /// Decodes a C string held in a Swift array, stopping at the first NUL.
    init(nulTerminated chars: [CChar]) {
        let end = chars.firstIndex(of: 0) ?? chars.endIndex
        self = String(decoding: chars[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
