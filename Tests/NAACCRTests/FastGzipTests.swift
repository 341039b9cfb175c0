import Foundation
import NAACCR
import Testing

@Suite("gzip with ISA-L (levels 1-3)")
struct FastGzipTests {
    /// XML-like text with runs a compressor finds, and pseudo-random bytes it cannot shrink (so the compressed
    /// output overflows the sink's 256 KB buffer and is drained in several rounds).
    static func sample() -> [UInt8] {
        var bytes: [UInt8] = []
        for i in 0..<40_000 { bytes.append(contentsOf: "    <Item naaccrId=\"primarySite\" naaccrNum=\"400\">C\(i % 1000)</Item>\n".utf8) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<600_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        return bytes
    }

    @Test(arguments: [1, 2, 3]) func gunzipGivesTheBytesBack(level: Int) throws {
        let input = Self.sample()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fastgzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.gz").path
        let sink = FastGzipByteSink(try FileByteSink(path: path), level: level)
        // Written in uneven pieces, as a writer flushes.
        var offset = 0, piece = 1
        while offset < input.count {
            let end = min(input.count, offset + piece * 7_919)
            try input[offset..<end].withUnsafeBytes { try sink.write($0) }
            offset = end
            piece += 1
        }
        try sink.finish()
        let compressed = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(compressed.count < input.count)
        #expect(compressed.prefix(2) == Data([0x1f, 0x8b]))
        // An independent reader: the system's gzip (which also checks the CRC-32 and length in the trailer).
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", path]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        try gunzip.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        #expect(gunzip.terminationStatus == 0)
        #expect(output == Data(input))
    }

    @Test func anEmptyStreamIsAValidEmptyFile() throws {
        let memory = MemoryByteSink()
        let sink = FastGzipByteSink(memory, level: 2)
        try sink.finish()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).gz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(memory.bytes).write(to: URL(fileURLWithPath: path))
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-t", path]
        try gunzip.run()
        gunzip.waitUntilExit()
        #expect(gunzip.terminationStatus == 0)
    }
}
