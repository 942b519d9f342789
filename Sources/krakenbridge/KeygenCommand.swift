import ArgumentParser
import Foundation
import ZeroMQ

/// Writes a CURVE key pair: `NAME.key` (public, shareable) and `NAME.key_secret` (mode 0600).
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate a CURVE key pair for a bus endpoint or a client.",
        discussion: """
            Writes NAME.key (the public key, to give to the other side) and NAME.key_secret
            (readable by the owner only). Both hold the 40-character Z85 text. The public key is
            also printed.
            """)

    @Option(help: "Base name of the key files.")
    var name: String

    @Option(help: "Directory to write the key files into.")
    var outputDirectory: String = "."

    @Flag(help: "Replace existing key files.")
    var force = false

    func run() throws {
        let pair = try CurveKeyPair.generate()
        let directory = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let publicURL = directory.appendingPathComponent("\(name).key")
        let secretURL = directory.appendingPathComponent("\(name).key_secret")
        for url in [publicURL, secretURL] where FileManager.default.fileExists(atPath: url.path) && !force {
            throw ValidationError("\(url.path) exists; pass --force to replace it")
        }
        try Data((pair.publicKey.z85 + "\n").utf8).write(to: publicURL)
        // Created empty with owner-only permissions first, so the secret is never readable by others.
        try? FileManager.default.removeItem(at: secretURL)
        guard FileManager.default.createFile(atPath: secretURL.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot create \(secretURL.path)")
        }
        try Data((pair.secretKey.z85 + "\n").utf8).write(to: secretURL)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretURL.path)
        print(pair.publicKey.z85)
    }
}
