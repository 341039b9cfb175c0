import Foundation
import ZIPFoundation

/// A workbook in Office Open XML SpreadsheetML (ECMA-376 Part 1, the `.xlsx` format): one worksheet per report
/// table, counts and rates as numbers, suppressed cells as the text "*", each sheet headed by the table's title and
/// what it counts, with its notes below. Strings are inline (`t="inlineStr"`), so no shared-string table is needed.
public enum XLSXWriter {
    public static func workbook(_ tables: [ReportTable], title: String) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let names = sheetNames(tables.map { $0.name.isEmpty ? $0.title : $0.name })
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                                 compressionMethod: .deflate, provider: { position, size in
                                     data.subdata(in: Int(position)..<Int(position) + size)
                                 })
        }
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
            \(tables.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
            </Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
            </Relationships>
            """)
        try add("docProps/core.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(escape(title))</dc:title><dc:creator>tumor registry</dc:creator></cp:coreProperties>
            """)
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            \(names.enumerated().map { "<sheet name=\"\(escape($1))\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined())\
            </sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(tables.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())\
            <Relationship Id="rId\(tables.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """)
        // Styles: 0 default, 1 bold (title and header), 2 integer, 3 one decimal, 4 two decimals.
        try add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts>\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border/></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
            <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
            </styleSheet>
            """)
        for (i, table) in tables.enumerated() { try add("xl/worksheets/sheet\(i + 1).xml", sheet(table)) }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// Entries carry a fixed time so the same report gives the same bytes.
    static let fixedDate = Date(timeIntervalSince1970: 1_577_836_800)

    /// Sheet names: at most 31 characters, none of `[]:*?/\`, unique (a number added on a clash).
    static func sheetNames(_ wanted: [String]) -> [String] {
        var used = Set<String>()
        return wanted.map { raw in
            var base = String(raw.filter { !"[]:*?/\\".contains($0) }.prefix(31))
            if base.isEmpty { base = "Table" }
            var name = base, n = 2
            while used.contains(name.lowercased()) { name = String(base.prefix(27)) + " (\(n))"; n += 1 }
            used.insert(name.lowercased())
            return name
        }
    }

    static func sheet(_ table: ReportTable) -> String {
        var rows: [String] = []
        func row(_ cells: [(ReportCell, bold: Bool)]) {
            let r = rows.count + 1
            let xml = cells.enumerated().map { c, item in cell(item.0, reference: column(c) + String(r), bold: item.bold) }.joined()
            rows.append("<row r=\"\(r)\">\(xml)</row>")
        }
        row([(.text(table.title), true)])
        if !table.counts.isEmpty { row([(.text(table.counts), false)]) }
        row(table.columns.map { (.text($0), true) })
        for cells in table.cells { row(cells.map { ($0, false) }) }
        for note in table.notes { row([(.text(note), false)]) }
        let widths = table.columns.indices.map { c -> Int in
            let longest = ([table.columns[c]] + table.rows.map { c < $0.count ? $0[c] : "" }).map(\.count).max() ?? 8
            return min(max(longest + 2, 8), 60)
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <cols>\(widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\($1)\" customWidth=\"1\"/>" }.joined())</cols>\
            <sheetData>\(rows.joined())</sheetData></worksheet>
            """
    }

    static func cell(_ value: ReportCell, reference: String, bold: Bool) -> String {
        switch value {
        case .count(let n): return "<c r=\"\(reference)\" s=\"2\"><v>\(n)</v></c>"
        case let .number(x, decimals) where x.isFinite:
            return "<c r=\"\(reference)\" s=\"\(decimals == 1 ? 3 : decimals == 0 ? 2 : 4)\"><v>\(x)</v></c>"
        default:
            let text = value.display
            return "<c r=\"\(reference)\" t=\"inlineStr\"\(bold ? " s=\"1\"" : "")><is><t xml:space=\"preserve\">\(escape(text))</t></is></c>"
        }
    }

    /// A, B, ... Z, AA, AB, ...
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 { let r = (n - 1) % 26; name = String(UnicodeScalar(UInt8(65 + r))) + name; n = (n - 1) / 26 }
        return name
    }

    /// XML text: the five markup characters escaped, and characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                if v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000 {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
