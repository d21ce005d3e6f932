extension ObjectReader {
    /// The optional photo members an observation may carry (`photoSha256`, `photoSize`, `photoType`):
    /// `photoSize` and `photoType` together, and only beside `photoSha256`. With `detailsRequired`
    /// (a type that gained its photo after photos were uploaded, such as an incident), `photoSha256`
    /// also needs both of them (one problem, at `photoSize`, when both are missing). Nil when no photo is
    /// named.
    mutating func photo(detailsRequired: Bool) -> PhotoReference? {
        let sha256 = digest("photoSha256", required: false)
        let size = photoSize("photoSize", required: false)
        let type = choice("photoType", PhotoType.self, required: false)
        let allowed = "photoSize and photoType together, beside photoSha256"
        let named = object["photoSha256"] != nil
        if !named {
            for name in ["photoSize", "photoType"] where object[name] != nil {
                fail(name, .notAllowed, "given without photoSha256", allowed: allowed)
            }
        }
        let sizeGiven = object["photoSize"] != nil
        let typeGiven = object["photoType"] != nil
        if sizeGiven != typeGiven {
            fail(
                sizeGiven ? "photoType" : "photoSize", .missingMember, "missing beside the other photo member",
                allowed: allowed)
        } else if detailsRequired, named, !sizeGiven {
            fail("photoSize", .missingMember, "missing, with photoType, beside photoSha256", allowed: allowed)
        }
        return sha256.map { PhotoReference(sha256: $0, size: size, type: type) }
    }
}

extension PhotoReference {
    /// Adds the photo's members (`photoSha256`, and `photoSize` and `photoType` when known) to `object`.
    func addMembers(to object: inout [String: JSONValue]) {
        object["photoSha256"] = .string(sha256.hex)
        if let size { object["photoSize"] = .integer(Int64(size)) }
        if let type { object["photoType"] = .string(type.rawValue) }
    }
}
