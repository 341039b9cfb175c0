import Foundation

/// The ways a report is written: printable HTML, PDF (through headless Chromium), CSV (one file per table), JSON
/// (the whole document, typed) and XLSX (one sheet per table).
public enum ReportFormat: String, CaseIterable, Sendable {
    case html, pdf, csv, json, xlsx
}

/// A report that could not be written, with what to do about it.
public struct ReportOutputError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension ReportDocument {
    /// The document's tables, in order.
    public var tables: [ReportTable] {
        sections.compactMap { if case .table(let t) = $0 { return t } else { return nil } }
    }

    /// The document as one JSON object: title, marking, generation time, and each table with its columns and typed
    /// rows (counts and rates as numbers, a suppressed cell as `{"suppressed": true}`, a missing one as null).
    public func json() throws -> Data {
        func value(_ cell: ReportCell) -> Any {
            switch cell {
            case .text(let t): return t
            case .count(let n): return n
            case let .number(x, _): return x.isFinite ? x : NSNull()
            case .suppressed: return ["suppressed": true]
            case .notAvailable: return NSNull()
            }
        }
        let formatter = ISO8601DateFormatter()
        let object: [String: Any] = [
            "title": title, "subtitle": subtitle, "marking": marking, "generated": formatter.string(from: generated),
            "tables": tables.map { t in
                ["name": t.name, "title": t.title, "counts": t.counts, "columns": t.columns, "notes": t.notes,
                 "rows": t.cells.map { $0.map(value) }] as [String: Any]
            },
            "text": sections.compactMap { if case .text(let s) = $0 { return s } else { return nil } },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// The tables as one workbook.
    public func xlsx() throws -> Data { try XLSXWriter.workbook(tables, title: title) }

    /// Writes the report into `directory` as `<base>.<format>` (CSV: `<base>-<table>.csv` per table); returns the
    /// paths written. PDF needs Chromium: when none is installed the error says so and the other formats are written.
    @discardableResult
    public func write(to directory: URL, base: String, formats: [ReportFormat]) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        var pdfError: ReportOutputError?
        for format in formats {
            switch format {
            case .html:
                let url = directory.appendingPathComponent("\(base).html")
                try Data(html().utf8).write(to: url, options: .atomic)
                written.append(url)
            case .json:
                let url = directory.appendingPathComponent("\(base).json")
                try json().write(to: url, options: .atomic)
                written.append(url)
            case .xlsx:
                let url = directory.appendingPathComponent("\(base).xlsx")
                try xlsx().write(to: url, options: .atomic)
                written.append(url)
            case .csv:
                for table in tables {
                    let url = directory.appendingPathComponent("\(base)-\(table.name).csv")
                    try Data(table.csv.utf8).write(to: url, options: .atomic)
                    written.append(url)
                }
            case .pdf:
                let url = directory.appendingPathComponent("\(base).pdf")
                do { try pdf(to: url); written.append(url) } catch let error as ReportOutputError { pdfError = error }
            }
        }
        if let pdfError { throw pdfError }
        return written
    }

    /// The Chromium binaries tried for PDF, in order (`CHROMIUM` names another).
    static var chromiumCandidates: [String] {
        (ProcessInfo.processInfo.environment["CHROMIUM"].map { [$0] } ?? [])
            + ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    }

    static func executable(named name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Prints the HTML to PDF with headless Chromium (`--print-to-pdf`; the print CSS gives page breaks, the header
    /// and page numbers). Throws a clear message when no Chromium is installed.
    public func pdf(to url: URL) throws {
        guard let chromium = Self.chromiumCandidates.lazy.compactMap(Self.executable(named:)).first else {
            throw ReportOutputError("PDF needs Chromium (Debian: apt-get install chromium, or set CHROMIUM to its path); "
                                    + "the HTML report prints to PDF from any browser")
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let page = work.appendingPathComponent("report.html")
        try Data(html().utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                             "--user-data-dir=\(work.appendingPathComponent("profile").path)",
                             "--print-to-pdf=\(url.path)", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: url.path) else {
            throw ReportOutputError("Chromium (\(chromium)) could not print the report to PDF (exit \(process.terminationStatus))")
        }
    }
}
