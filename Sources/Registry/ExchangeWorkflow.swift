import Crypto
import Foundation
import NAACCR
import Postgres
import RegistryStore

/// A file's SHA-256, computed from the bytes as they are read.
final class FileChecksum: @unchecked Sendable {
    private var hasher = SHA256()
    func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
    func hex() -> String { Registry.hex(hasher.finalize()) }
}

/// What an import of one file did, with the file's checksum.
public struct FileImport: Sendable {
    public let summary: ImportSummary
    public let header: NaaccrHeader
    /// SHA-256 of the file as received (compressed, if it was); nil for standard input.
    public let sha256: String?
    /// The NAACCR version the file was converted from (nil for v26 files), and what the conversion did by kind and item.
    public let convertedFrom: String?
    public let conversion: [String: Int]
}

/// What an import's `finish` hook knows of the file: its header, checksum and NAACCR version.
public struct FileImportContext: Sendable {
    public let header: NaaccrHeader
    public let sha256: String?
    public let version: String
}

/// Imports and exports of NAACCR files.
extension Registry {
    /// Imports one NAACCR file (XML of v14 to v26 or flat of v12 to v18, plain or gzip) in one transaction with its audit row (file name, SHA-256,
    /// counts, the actor and their address). `mayChangeStoredAbstracts` is false for users who may import but not
    /// edit abstracts: a file that would change a stored abstract is then refused whole.
    /// `progress` is called with the patients read and the share of the file read.
    ///
    /// The store holds NAACCR v26 abstracts: a file of another version (v12 to v25) is read and validated against its
    /// own dictionary and converted record by record (`NaaccrVersionConverter`: by item number, level moves, Sex to
    /// Sex Assigned at Birth); values of retired items are kept under their own numbers and counted.
    public func importFile(path: String, name: String? = nil, options: NaaccrReadOptions = NaaccrReadOptions(),
                           by actor: ActingUser,
                           mayChangeStoredAbstracts: Bool = true,
                           progress: @escaping @Sendable (Int, Double?) -> Void = { _, _ in },
                           inspect: @escaping @Sendable (NaaccrPatient) -> Void = { _ in },
                           finish: @escaping @Sendable (PostgresConnection, ImportSummary, FileImportContext) throws -> Void = { _, _, _ in }) async throws -> FileImport {
        let displayName = name ?? URL(fileURLWithPath: path).lastPathComponent
        return try await pool.withConnection { db in
            let checksum = FileChecksum()
            let reader = try NaaccrFile.open(path: path, options: options, observingBytes: { checksum.update($0) })
            // Files of other versions are converted to v26 record by record (NaaccrVersionConverter says how).
            let converter = try NaaccrVersionConverter.ifNeeded(for: reader.dictionary)
            var detail = ["file": String(displayName.prefix(255))]
            if let converter { detail["convertedFrom"] = converter.source.naaccrVersion }
            let summary = try NaaccrImporter(connection: db).importPatients(
                header: reader.header, dictionary: converter?.target ?? reader.dictionary, source: displayName, actor: actor,
                mayChangeStoredAbstracts: mayChangeStoredAbstracts, fileDetail: { detail },
                next: {
                    let patient = try reader.next()
                    // The audit row is written after the last patient: by then the whole file has been hashed.
                    if patient == nil, path != "-" { detail["sha256"] = checksum.hex() }
                    let converted = patient.map { converter?.convert($0) ?? $0 }
                    if let converted { inspect(converted) }
                    return converted
                },
                progress: { progress($0, reader.fractionRead) },
                finish: { tx, summary in
                    try finish(tx, summary, FileImportContext(header: reader.header, sha256: detail["sha256"],
                                                              version: converter?.source.naaccrVersion ?? reader.dictionary.naaccrVersion))
                })
            return FileImport(summary: summary, header: reader.header, sha256: path == "-" ? nil : detail["sha256"],
                              convertedFrom: converter?.source.naaccrVersion, conversion: converter?.counts ?? [:])
        }
    }

    /// Imports patients from a generator (the demo registry), audited like a file.
    public func importPatients(header: NaaccrHeader, dictionary: NaaccrDictionary, source: String, by actor: ActingUser,
                               patients: @escaping @Sendable () -> NaaccrPatient?,
                               progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> ImportSummary {
        try await pool.withConnection { db in
            try NaaccrImporter(connection: db).importPatients(header: header, dictionary: dictionary, source: source, actor: actor,
                                                              next: patients, progress: progress)
        }
    }

    /// Writes the selected patients through `write` from one snapshot; the audit row is written in the same transaction.
    public func export(_ selection: ExportSelection, dictionary: NaaccrDictionary, recordType: String, by actor: ActingUser,
                       write: @escaping @Sendable (NaaccrPatient) throws -> Void) async throws -> ExportSummary {
        try await pool.withConnection { db in
            try NaaccrExporter(connection: db).export(selection, dictionary: dictionary, actor: actor, recordType: recordType, write: write)
        }
    }

    /// The registry id an export's header should carry.
    public func registryId(for selection: ExportSelection) async throws -> String {
        try await pool.withConnection { db in try NaaccrExporter(connection: db).registryId(for: selection) }
    }
}
