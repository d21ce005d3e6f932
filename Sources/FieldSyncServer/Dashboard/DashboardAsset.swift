import FieldSyncModel
import HTTPTypes
import Hummingbird

/// One file of the dashboard, embedded into the binary at build time from `Dashboard/Assets/`: the
/// page at `/`, its scripts, style sheet and icon under `/dashboard/`.
///
/// Every answer carries a content security policy that lets the page load and connect only to this
/// server: no CDN, no web font, no third-party script can be reached even by mistake.
struct DashboardAsset: Sendable {
    /// The file's name, as in `Dashboard/Assets/`.
    let name: String
    let contentType: String
    let bytes: ByteBuffer
    /// A strong entity tag: the first 16 hex digits of the contents' SHA-256.
    let entityTag: String

    /// The file's path on the server: `/` for the page, `/dashboard/NAME` for the rest.
    var path: String { name == Self.pageName ? "/" : "/dashboard/\(name)" }

    static let pageName = "index.html"

    /// The types of the files the dashboard is made of, by extension. Other embedded files (the
    /// OpenAPI document) are not dashboard assets.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml",
        "webmanifest": "application/manifest+json",
    ]

    /// Every dashboard asset, in name order.
    static let all: [DashboardAsset] = EmbeddedFiles.all.compactMap { file in
        guard let dot = file.name.lastIndex(of: "."),
            let type = contentTypes[String(file.name[file.name.index(after: dot)...])]
        else { return nil }
        return DashboardAsset(
            name: file.name, contentType: type, bytes: ByteBuffer(string: file.contents),
            entityTag: "\"\(SHA256Digest.hash(file.contents).hex.prefix(16))\"")
    }

    /// Loads from this server only; scripts and styles from files, never inline; no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static let contentSecurityPolicyField = HTTPField.Name("Content-Security-Policy")!
    static let contentTypeOptionsField = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicyField = HTTPField.Name("Referrer-Policy")!

    /// 200 with the file, or 304 when the request's `If-None-Match` names its entity tag. Browsers
    /// revalidate each time (`no-cache`), so a new server build is picked up at the next load.
    func response(to request: Request) -> Response {
        var headers: HTTPFields = [
            .eTag: entityTag, .cacheControl: "no-cache", Self.contentSecurityPolicyField: Self.contentSecurityPolicy,
            Self.contentTypeOptionsField: "nosniff", Self.referrerPolicyField: "no-referrer",
        ]
        if let wanted = request.headers[.ifNoneMatch], FieldSyncServer.matches(wanted, tag: entityTag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: bytes))
    }
}
