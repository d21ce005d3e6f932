import FieldSyncModel
import Testing

@testable import FieldSyncServer

/// A stored object gets members added without being parsed: the same bytes as parsing it, adding them and
/// writing it again, whatever its strings hold.
@Suite struct StoredObjectMembersTests {
    static let tricky: JSONValue = [
        "a\"}": ["x": [1, ["y": "],{\"z\":"]], "w": nil],
        "constituency": nil,
        "differences": [["note": "a,b}c\\\"d", "n": -3], [:], []],
        "margin": "{[\\",
        "stations": 12,
        "zz": true,
    ]

    @Test func theMembersAreFoundWithTheirBytes() throws {
        let bytes = CanonicalJSON.bytes(Self.tricky)
        let members = try #require(StoredObjectMembers(bytes))
        let names = members.map { $0.name }
        #expect(names == CanonicalJSON.sortedKeys(try #require(Self.tricky.objectValue)))
        for member in members {
            let value = try JSONParser.parse(Array(bytes[member.range]).drop { $0 != UInt8(ascii: ":") }.dropFirst())
            #expect(value == Self.tricky[member.name], "\(member.name)")
        }
        // As PostgreSQL writes jsonb back as text: spaces after the separators, and its own order of keys.
        let spaced = try #require(StoredObjectMembers(Array(#"{"b": 1, "aa": {"x": [1, 2]},\#n "c": "d, e"}"#.utf8)))
        #expect(spaced.map { $0.name } == ["b", "aa", "c"])
        let added = DocumentAnswer.storedObject(spaced, adding: ["position": 3])
        #expect(try JSONParser.parse(added.bytes) == ["b": 1, "aa": ["x": [1, 2]], "c": "d, e", "position": 3])
        #expect(StoredObjectMembers(Array("[1]".utf8)) == nil)
        #expect(try #require(StoredObjectMembers(Array("{}".utf8))).map { $0.name }.isEmpty)
    }

    @Test func addedMembersGoInCanonicalOrderAmongTheStoredOnes() throws {
        var object = try #require(Self.tricky.objectValue)
        let added: [String: JSONValue] = ["position": 42, "a": "first", "zzz": ["last"], "margin": "not twice"]
        let answer = DocumentAnswer.storedObject(
            try #require(StoredObjectMembers(CanonicalJSON.bytes(Self.tricky))), adding: added)
        for (name, value) in added where object[name] == nil { object[name] = value }
        #expect(answer.bytes == CanonicalJSON.bytes(.object(object)) + [0x0a])

        let empty = DocumentAnswer.storedObject(try #require(StoredObjectMembers(Array("{}".utf8))), adding: added)
        #expect(empty.bytes == CanonicalJSON.bytes(.object(added)) + [0x0a])
    }
}
