import Foundation
import Mustache

/// One cell of a report table, typed so a spreadsheet gets numbers and a public report can tell a suppressed count
/// from a missing one.
public enum ReportCell: Sendable, Equatable {
    case text(String)
    /// A count of tumors, patients or deaths.
    case count(Int)
    /// A rate, percentage or estimate shown with `decimals` places.
    case number(Double, decimals: Int)
    /// Not shown in a public report: a count under 16, a figure based on one, or its complementary cell (USCS rule).
    case suppressed
    /// No value: past a group's follow-up, or not computable (shown as "–").
    case notAvailable

    /// The text a reader sees (HTML, CSV and the plain table).
    public var display: String {
        switch self {
        case .text(let t): return t
        case .count(let n): return String(n)
        case let .number(x, decimals): return x.isFinite ? String(format: "%.\(decimals)f", x) : "–"
        case .suppressed: return ReportCell.suppressionMark
        case .notAvailable: return "–"
        }
    }

    /// The mark for a suppressed cell, explained in each public table's notes.
    public static let suppressionMark = "*"
}

/// A table of a report: what it counts (in words), its columns, its typed cells, and notes.
public struct ReportTable: Sendable, Equatable {
    public var title: String
    /// Which records the table counts (which tumors, which years), in words.
    public var counts: String
    public var columns: [String]
    public var cells: [[ReportCell]]
    public var notes: [String]
    /// A short name for a spreadsheet tab or a file (letters, digits, dashes).
    public var name: String
    /// The last row is the total of the others (printed bold).
    public var lastRowIsTotal = false
    /// Where a cell leads in the workbench (the records behind a count), by row and column; HTML only.
    public var links: [Int: [Int: String]] = [:]

    public init(title: String, counts: String = "", columns: [String], cells: [[ReportCell]], notes: [String] = [], name: String = "") {
        self.title = title
        self.counts = counts
        self.columns = columns
        self.cells = cells
        self.notes = notes
        self.name = name.isEmpty ? ReportTable.slug(title) : name
    }

    /// A table of text cells.
    public init(title: String, counts: String = "", columns: [String], rows: [[String]] = [], notes: [String] = [], name: String = "") {
        self.init(title: title, counts: counts, columns: columns, cells: rows.map { $0.map(ReportCell.text) }, notes: notes, name: name)
    }

    /// The cells as the text a reader sees.
    public var rows: [[String]] { cells.map { $0.map(\.display) } }

    /// The table as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted).
    public var csv: String {
        ([columns] + rows).map { $0.map(ReportTable.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// The table as aligned plain text for a terminal: title, columns padded to their widest cell (numbers right-aligned).
    public func textTable() -> String {
        let all = [columns] + rows
        let widths = columns.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in
                let pad = String(repeating: " ", count: max(0, widths[c] - text.count))
                return c == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        return ([title, line(columns)] + rows.map(line) + notes).joined(separator: "\n")
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// Lower-case words joined by dashes, at most 40 characters.
    static func slug(_ text: String) -> String {
        var out = "", dash = false
        for c in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(c) && c.isASCII { out.unicodeScalars.append(c); dash = false }
            else if !dash && !out.isEmpty { out += "-"; dash = true }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(40))
    }
}

/// A report: a title, whether it is internal or public, and sections of tables, figures and text.
public struct ReportDocument: Sendable {
    public enum Section: Sendable {
        case table(ReportTable)
        /// An SVG drawn by the registry (trusted markup) with its caption.
        case figure(svg: String, caption: String)
        case text(String)
    }

    public var title: String
    public var subtitle: String
    /// "Internal: contains small counts" or "Public", printed on every page's header.
    public var marking: String
    public var generated: Date
    public var sections: [Section]

    public init(title: String, subtitle: String = "", marking: String = "", generated: Date = Date(), sections: [Section] = []) {
        self.title = title
        self.subtitle = subtitle
        self.marking = marking
        self.generated = generated
        self.sections = sections
    }

    /// Printable HTML through `reports/report.html.mustache`.
    public func html() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate, .withSpaceBetweenDateAndTime]
        let values: [String: Any] = [
            "title": title, "subtitle": subtitle, "marking": marking, "generated": formatter.string(from: generated) + " UTC",
            "sections": sections.map { section -> [String: Any] in
                switch section {
                case .table(let t):
                    return ["table": ["title": t.title, "counts": t.counts, "columns": t.columns, "rows": t.rows.enumerated().map { i, cells in
                                          ["cells": cells.enumerated().map { j, text -> [String: Any] in
                                              ["text": text, "href": t.links[i]?[j] ?? false] },
                                           "total": t.lastRowIsTotal && i == t.rows.count - 1] as [String: Any] },
                                      "notes": t.notes] as [String: Any]]
                case let .figure(svg, caption): return ["figure": ["svg": svg, "caption": caption]]
                case .text(let text): return ["text": text]
                }
            },
        ]
        return ReportTemplates.library.render(values, withTemplate: "report.html") ?? ""
    }
}

/// The templates under `reports/`, embedded by `scripts/gen-reports`.
public enum ReportTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in bundled {
            // The templates are the project's own and tested; a broken one is a build defect, reported by ReportsTests.
            try? library.register(text, named: name)
        }
        return library
    }()

    /// Each embedded template's text, for the drift test against `reports/`.
    public static var embedded: [String: String] { bundled }
}
