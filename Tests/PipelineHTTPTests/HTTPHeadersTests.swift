import PipelineHTTP
import Testing

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    @Test("lookup ignores case, keeps order and repeats; replace and remove act on every case")
    func lookup() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain", "Link": "<a>", "link": "<b>"]
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.values(for: "LINK") == ["<a>", "<b>"])
        #expect(headers["missing"] == nil)
        headers.replaceOrAdd(name: "LINK", value: "<c>")
        #expect(headers.values(for: "link") == ["<c>"])
        headers.remove(name: "CONTENT-type")
        #expect(!headers.contains(name: "content-type"))
        #expect(headers.count == 1)
        #expect(!HTTPMethod.post.isIdempotent && HTTPMethod(rawValue: "put").isIdempotent)
    }
}
