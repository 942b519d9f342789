import Foundation
import KrakenAuth
import Synchronization
import Testing

@Suite("REST request signing")
struct SigningTests {
    static let secret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
    let signer = RequestSigner(credentials: try! APICredentials(key: "test-key", base64Secret: SigningTests.secret))

    @Test("Kraken's official API-Sign vector (AddOrder, form-encoded)")
    func officialVector() {
        let body = Array("nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25".utf8)
        #expect(signer.signature(path: "/0/private/AddOrder", nonce: 1_616_492_376_594, body: body)
            == "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==")
    }

    @Test("GetWebSocketsToken with only a nonce")
    func tokenRequest() {
        #expect(signer.signature(path: "/0/private/GetWebSocketsToken", nonce: 1_616_492_376_594, body: Array("nonce=1616492376594".utf8))
            == "+mRDmY9Ks0Moc1zjv/BjfvYa98buO0x1yHChZR5onlfAzAUbfIYlLggUZzdQ0RsmXm4Sh+Q8iAIZdo2wSeHeiA==")
    }

    @Test("a JSON body is signed byte for byte as sent")
    func jsonBody() {
        let body = Array(#"{"nonce": "1616492376594", "ordertype": "limit", "pair": "XBTUSD", "price": 37500, "type": "buy", "volume": 1.25}"#.utf8)
        #expect(signer.signature(path: "/0/private/AddOrder", nonce: 1_616_492_376_594, body: body)
            == "xojekerxRL59CSvi3027oZ1+nMQF0TgqD5QE569qR8tgSJ4tAhoVYVGhSEciXkufsn6foHHVi0N3Utiarvg74w==")
    }

    @Test("headers carry the public key and the signature")
    func headers() {
        let headers = signer.headers(path: "/0/private/GetWebSocketsToken", nonce: 1, body: Array("nonce=1".utf8))
        #expect(headers.map(\.name) == ["API-Key", "API-Sign"])
        #expect(headers[0].value == "test-key")
    }

    @Test("credentials never print their secret")
    func redaction() throws {
        let credentials = try APICredentials(key: "ABCDEFGHIJ", base64Secret: Self.secret)
        #expect(!"\(credentials)".contains(Self.secret))
        #expect(!String(reflecting: credentials).contains("ABCDEFGHIJ"))
        #expect("\(credentials)".contains("<redacted>"))
    }

    @Test("bad credentials are typed errors")
    func badCredentials() {
        #expect(throws: CredentialsError.emptyKey) { try APICredentials(key: " ", base64Secret: Self.secret) }
        #expect(throws: CredentialsError.secretNotBase64) { try APICredentials(key: "k", base64Secret: "not base64!") }
    }
}

@Suite("nonces")
struct NonceTests {
    @Test("nonces strictly increase even when the clock stands still or steps back")
    func strictlyIncreasing() {
        let times = Mutex<[UInt64]>([100, 100, 100, 50, 200])
        let source = NonceSource(clock: { times.withLock { $0.removeFirst() } })
        #expect((0..<5).map { _ in source.next() } == [100, 101, 102, 103, 200])
    }

    @Test("concurrent callers never get the same nonce")
    func concurrentUnique() async {
        let source = NonceSource()
        let nonces = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 { group.addTask { (0..<1_000).map { _ in source.next() } } }
            var all: [UInt64] = []
            for await batch in group { all += batch }
            return all
        }
        #expect(Set(nonces).count == 8_000)
    }
}
