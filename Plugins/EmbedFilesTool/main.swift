import Foundation

// Usage: EmbedFilesTool OUTPUT.swift FILE...
// Writes a Swift file declaring `EmbeddedFiles.all`, the given files' names and UTF-8 contents,
// in the order given.

let arguments = CommandLine.arguments.dropFirst()
guard let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedFilesTool OUTPUT.swift FILE...\n".utf8))
    exit(64)
}

/// The smallest raw-string delimiter that no sequence inside `text` can close or interpolate.
func delimiter(for text: String) -> String {
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) || text.contains("\"" + hashes) {
        hashes += "#"
    }
    return hashes
}

var source = """
    // Generated at build time by the EmbedFiles plugin. Do not edit.

    /// A file embedded into this module at build time.
    struct EmbeddedFile: Sendable {
        /// The file's name, without its folder.
        let name: String
        /// The file's contents, as UTF-8 text.
        let contents: String
    }

    enum EmbeddedFiles {
        /// Every embedded file, in name order.
        static let all: [EmbeddedFile] = [

    """
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        FileHandle.standardError.write(Data("EmbedFilesTool: \(path) is not readable UTF-8 text\n".utf8))
        exit(65)
    }
    let hashes = delimiter(for: text)
    source += "        EmbeddedFile(\n"
    source += "            name: \(String(reflecting: url.lastPathComponent)),\n"
    source += "            contents: \(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)\n"
    source += "        ),\n"
}
source += "    ]\n}\n"

do {
    try source.write(toFile: outputPath, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("EmbedFilesTool: cannot write \(outputPath): \(error)\n".utf8))
    exit(73)
}
