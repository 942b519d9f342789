import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A throwaway certificate authority and the server certificate it signs, made at start-up so
/// the simulator can serve wss:// and https:// like Kraken. Clients trust `caPEM` (written to
/// `ca.pem`); the server certificate names `localhost`, `127.0.0.1` and `::1` plus any extra
/// host names. Keys are P-256 and live only as long as the process.
public struct SelfSignedAuthority: Sendable {
    /// The CA certificate clients must trust, PEM.
    public let caPEM: String
    /// The server's certificate and private key, PEM.
    public let serverCertificatePEM: String
    public let serverKeyPEM: String

    public init(hostNames: [String] = [], validFor lifetime: TimeInterval = 7 * 86_400) throws {
        let now = Date()
        let notBefore = now.addingTimeInterval(-300)
        let notAfter = now.addingTimeInterval(lifetime)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("KrakenBridge simulator")
            CommonName("KrakenBridge simulator CA")
        }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey))

        let serverKey = P256.Signing.PrivateKey()
        var names: [GeneralName] = [
            .dnsName("localhost"),
            .ipAddress(ASN1OctetString(contentBytes: ArraySlice([127, 0, 0, 1]))),
            .ipAddress(ASN1OctetString(contentBytes: ArraySlice([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))),
        ]
        for name in hostNames where name != "localhost" {
            if let address = IPv4Address(name) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: address.bytes[...])))
            } else {
                names.append(.dnsName(name))
            }
        }
        let server = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName,
            subject: try DistinguishedName { CommonName("localhost") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey))

        caPEM = try ca.serializeAsPEM().pemString
        serverCertificatePEM = try server.serializeAsPEM().pemString
        serverKeyPEM = serverKey.pemRepresentation
    }

    /// The TLS context the simulator's listeners serve with.
    public func serverContext() throws -> NIOSSLContext {
        let certificate = try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)
        return try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
    }

    /// Writes `ca.pem`, `server.pem` and `server-key.pem` (owner-only) into `directory`
    /// (created when missing) and returns the CA file's path.
    @discardableResult
    public func write(to directory: String) throws -> String {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let caPath = (directory as NSString).appendingPathComponent("ca.pem")
        try caPEM.write(toFile: caPath, atomically: true, encoding: .utf8)
        try serverCertificatePEM.write(
            toFile: (directory as NSString).appendingPathComponent("server.pem"), atomically: true, encoding: .utf8)
        let keyPath = (directory as NSString).appendingPathComponent("server-key.pem")
        try serverKeyPEM.write(toFile: keyPath, atomically: true, encoding: .utf8)
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        return caPath
    }
}

/// The four bytes of a dotted IPv4 literal (only what certificate names need).
private struct IPv4Address {
    let bytes: [UInt8]

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }
}
