import SystemZlib
import SystemISAL
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something bytes can be read from in chunks.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Something bytes can be written to.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Writes anything buffered and ends the stream (for gzip, the trailer).
    func finish() throws
}

/// Errors opening, reading or writing files and gzip streams.
public struct ByteStreamError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// A file read with plain `read(2)`.
public final class FileByteSource: ByteSource {
    private let fd: Int32
    public let path: String

    private let ownsDescriptor: Bool
    /// Bytes read so far.
    public private(set) var bytesRead = 0
    /// The file's size, when it is a regular file (nil for pipes and terminals).
    public private(set) var size: Int?
    /// Called with every chunk read, before any decompression (e.g. to compute the file's checksum as it is read).
    public var onRead: ((UnsafeRawBufferPointer) -> Void)?

    /// Opens `path`; "-" reads standard input.
    public init(path: String) throws {
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw ByteStreamError(path: path, message: String(cString: strerror(errno))) }
            ownsDescriptor = true
        }
        self.path = path
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG { size = Int(status.st_size) }
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                bytesRead += n
                if let onRead, n > 0 { onRead(UnsafeRawBufferPointer(rebasing: buffer[..<n])) }
                return n
            }
            if errno != EINTR { throw ByteStreamError(path: path, message: String(cString: strerror(errno))) }
        }
    }
}

/// Bytes held in memory.
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

/// Inflates a gzip stream (also several concatenated gzip members) from another source.
public final class GzipByteSource: ByteSource {
    private let upstream: ByteSource
    private let name: String
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var finished = false

    public init(_ upstream: ByteSource, name: String) throws {
        self.upstream = upstream
        self.name = name
        input = .allocate(byteCount: 256 * 1024, alignment: 16)
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw ByteStreamError(path: name, message: "cannot initialise zlib")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    /// Refills the input buffer; returns false at the end of the upstream bytes.
    private func fillInput() throws -> Bool {
        let n = try upstream.read(into: input)
        stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = UInt32(n)
        return n > 0
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while !finished {
            if stream.avail_in == 0, try !fillInput() {
                throw ByteStreamError(path: name, message: "the gzip stream ends early (truncated file?)")
            }
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(buffer.count)
            let status = inflate(&stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                // Another gzip member may follow.
                if stream.avail_in == 0, try !fillInput() {
                    finished = true
                } else {
                    inflateReset(&stream)
                }
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw ByteStreamError(path: name, message: "not a valid gzip stream: \(message)")
            }
            if produced > 0 { return produced }
        }
        return 0
    }
}

/// Opens a file for reading, inflating it when its name ends in `.gz` or it starts with the gzip magic bytes.
public func openByteSource(path: String) throws -> ByteSource { try openByteSourceWithFile(path: path).source }

/// Like `openByteSource`, also returning the file underneath (its `bytesRead` and `size` show progress, also through gzip).
public func openByteSourceWithFile(path: String) throws -> (source: ByteSource, file: FileByteSource) {
    let file = try FileByteSource(path: path)
    var magic = [UInt8](repeating: 0, count: 2)
    // Standard input cannot be opened twice: its first bytes are read once and replayed.
    let probe = path == "-" ? file : try FileByteSource(path: path)
    var n = 0
    while n < 2 {
        let got = try magic.withUnsafeMutableBytes { try probe.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[n...])) }
        if got == 0 { break }
        n += got
    }
    let source: ByteSource = path == "-" ? PrefixedByteSource(prefix: Array(magic[..<n]), rest: file) : file
    if path.hasSuffix(".gz") || (n == 2 && magic == [0x1f, 0x8b]) {
        return (try GzipByteSource(source, name: path), file)
    }
    return (source, file)
}

/// Bytes already read, then the rest of a source.
final class PrefixedByteSource: ByteSource {
    private var prefix: [UInt8]
    private let rest: ByteSource

    init(prefix: [UInt8], rest: ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !prefix.isEmpty else { return try rest.read(into: buffer) }
        let n = Swift.min(prefix.count, buffer.count)
        buffer.copyBytes(from: prefix[..<n])
        prefix.removeFirst(n)
        return n
    }
}

/// A buffered file writer (or standard output for path "-").
public final class FileByteSink: ByteSink {
    private let fd: Int32
    private let ownsDescriptor: Bool
    public let path: String
    private var buffer: [UInt8] = []

    public init(path: String) throws {
        self.path = path
        if path == "-" {
            fd = 1
            ownsDescriptor = false
        } else {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw ByteStreamError(path: path, message: String(cString: strerror(errno))) }
            ownsDescriptor = true
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if ownsDescriptor { close(fd) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ByteStreamError(path: path, message: String(cString: strerror(errno)))
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func finish() throws { try flush() }
}

/// Collects bytes in memory.
public final class MemoryByteSink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
    public func finish() throws {}
}

/// Deflates into gzip format on the way to another sink.
public final class GzipByteSink: ByteSink {
    private let downstream: ByteSink
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 256 * 1024)

    public init(_ downstream: ByteSink, level: Int32 = 6) throws {
        self.downstream = downstream
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ByteStreamError(path: "gzip", message: "cannot initialise zlib")
        }
    }

    deinit { deflateEnd(&stream) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(bytes.count)
        try pump(flush: Z_NO_FLUSH)
    }

    public func finish() throws {
        stream.avail_in = 0
        try pump(flush: Z_FINISH)
        try downstream.finish()
    }

    private func pump(flush: Int32) throws {
        repeat {
            let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.next_out = out.baseAddress!
                stream.avail_out = UInt32(out.count)
                let status = deflate(&stream, flush)
                return (status, out.count - Int(stream.avail_out))
            }
            if produced > 0 { try output.withUnsafeBytes { try downstream.write(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            if status == Z_STREAM_END { return }
            guard status == Z_OK || status == Z_BUF_ERROR else { throw ByteStreamError(path: "gzip", message: "deflate failed (\(status))") }
            if flush == Z_NO_FLUSH && stream.avail_in == 0 { return }
        } while true
    }
}

/// Compresses to gzip (RFC 1952) with Intel ISA-L's igzip at its levels 1-3, several times zlib's speed for a larger
/// file (on NAACCR XML: level 1 about 10x zlib level 6's speed for a 1.6x larger file, level 3 about 3x for 1.5x).
/// Any gzip reader reads the output: one member, the standard header and CRC-32 trailer.
public final class FastGzipByteSink: ByteSink {
    private let downstream: ByteSink
    private var stream = isal_zstream()
    /// The level's working memory (hash tables), which ISA-L keeps using from call to call.
    private let levelBuffer: UnsafeMutableBufferPointer<UInt8>
    private var output = [UInt8](repeating: 0, count: 256 * 1024)

    /// `level` 1-3.
    public init(_ downstream: ByteSink, level: Int) {
        self.downstream = downstream
        let level = Swift.min(3, Swift.max(1, level))
        levelBuffer = .allocate(capacity: Int(system_isal_level_buffer_size(Int32(level))))
        isal_deflate_init(&stream)
        stream.level = UInt32(level)
        stream.level_buf = levelBuffer.baseAddress
        stream.level_buf_size = UInt32(levelBuffer.count)
        stream.gzip_flag = UInt16(IGZIP_GZIP)
    }

    deinit { levelBuffer.deallocate() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        try pump(bytes, end: false)
    }

    public func finish() throws {
        try pump(UnsafeRawBufferPointer(start: nil, count: 0), end: true)
        try downstream.finish()
    }

    private func pump(_ bytes: UnsafeRawBufferPointer, end: Bool) throws {
        stream.next_in = bytes.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self)) }
        stream.avail_in = UInt32(bytes.count)
        stream.end_of_stream = end ? 1 : 0
        repeat {
            let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.next_out = out.baseAddress!
                stream.avail_out = UInt32(out.count)
                let status = isal_deflate(&stream)
                return (status, out.count - Int(stream.avail_out))
            }
            guard status == COMP_OK else { throw ByteStreamError(path: "gzip", message: "igzip deflate failed (\(status))") }
            if produced > 0 { try output.withUnsafeBytes { try downstream.write(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) } }
            // Done when the input is taken and, at the end, the stream is closed (ZSTATE_END) with nothing left to emit.
            if stream.avail_in == 0 && (!end || stream.internal_state.state == ZSTATE_END) && produced < output.count { return }
        } while true
    }
}

/// A gzip compressor on the way to `downstream` at `level` 1-9: levels 1-3 with ISA-L's igzip (`FastGzipByteSink`),
/// 4-9 with zlib (`GzipByteSink`).
public func gzipByteSink(_ downstream: ByteSink, level: Int) throws -> ByteSink {
    level <= 3 ? FastGzipByteSink(downstream, level: level) : try GzipByteSink(downstream, level: Int32(level))
}

/// Opens a file for writing, gzip-compressed when the name ends in `.gz`.
public func openByteSink(path: String) throws -> ByteSink {
    let file = try FileByteSink(path: path)
    return path.hasSuffix(".gz") ? try GzipByteSink(file) : file
}
