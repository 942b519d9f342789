import NIOCore
import NIOSSL

/// TLS for the bridge's client connections (wss:// and https://): Kraken's certificates are
/// checked against the system's trust store; a simulator's against the CA file it wrote.
public enum ClientTLS {
    /// A client context that verifies the server's certificate and host name. With `caFile`,
    /// only that CA is trusted (the simulator's); without, the system's roots are (Kraken's).
    public static func context(trustingCAFile caFile: String? = nil) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile { configuration.trustRoots = .file(caFile) }
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }

    /// Adds the TLS handler as the first handler of a client channel. SNI carries host names
    /// only (an IP literal is checked against the certificate's IP addresses instead).
    public static func addHandler(to channel: any Channel, context: NIOSSLContext, host: String) throws {
        let serverName = isIPLiteral(host) ? nil : host
        let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
        try channel.pipeline.syncOperations.addHandler(handler)
    }

    static func isIPLiteral(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0 == "." || $0.isNumber }
    }
}
