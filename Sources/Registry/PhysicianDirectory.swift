import Foundation
import Postgres
import RegistryStore

/// A physician of the registry's directory: the code the physician items hold (Physician--Follow-Up 2470 and the
/// managing/primary surgeon items 2460-2480, usually the NPI), a name and a mailing address.
public struct Physician: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var addressLine: String
    public var addressLine2: String
    public var city: String
    public var state: String
    public var postalCode: String
    public var phone: String

    public init(code: String, name: String, addressLine: String = "", addressLine2: String = "", city: String = "", state: String = "",
                postalCode: String = "", phone: String = "") {
        self.code = code
        self.name = name
        self.addressLine = addressLine
        self.addressLine2 = addressLine2
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.phone = phone
    }

    /// The address as a letter prints it: street lines, then "City ST 12345".
    public var mailingAddress: String {
        let place = [city.isEmpty ? nil : city, state.isEmpty ? nil : state, postalCode.isEmpty ? nil : postalCode].compactMap { $0 }
            .joined(separator: " ")
        return [addressLine, addressLine2, place].filter { !$0.isEmpty }.joined(separator: "\n")
    }
}

/// A physician file that cannot be loaded: file, line and what is wrong (the directory holds no patient data).
public typealias PhysicianFileError = InputFileError

extension Physician {
    /// The columns a physician file may have (header names, any order, case-insensitive); `code` (or `npi`) and
    /// `name` are required.
    static let columns: [(name: String, aliases: [String])] = [
        ("code", ["code", "npi", "physician", "physiciancode"]), ("name", ["name", "physicianname"]),
        ("addressLine", ["addressline", "address", "address1", "street"]), ("addressLine2", ["addressline2", "address2"]),
        ("city", ["city"]), ("state", ["state"]), ("postalCode", ["postalcode", "zip", "zipcode"]), ("phone", ["phone", "telephone"]),
    ]

    /// The physicians of a CSV file (RFC 4180 quoting; header required). A code appears once; every error names its line.
    public static func read(path: String) throws -> [Physician] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw PhysicianFileError(file: path, line: 0, message: "cannot be read as UTF-8 text")
        }
        let records: [(line: Int, fields: [String])]
        do { records = try CSVText.records(text) } catch {
            throw PhysicianFileError(file: path, line: error.line, message: "a quoted field is not closed")
        }
        guard let header = records.first else { throw PhysicianFileError(file: path, line: 0, message: "the file is empty") }
        let names = header.fields.map { $0.lowercased().filter { $0.isLetter || $0.isNumber } }
        var index: [String: Int] = [:]
        for (column, aliases) in columns {
            if let i = names.firstIndex(where: aliases.contains) { index[column] = i }
        }
        guard index["code"] != nil, index["name"] != nil else {
            throw PhysicianFileError(file: path, line: header.line, message: "the header needs code (or npi) and name columns")
        }
        var seen: [String: Int] = [:]
        var out: [Physician] = []
        for record in records.dropFirst() {
            func fail(_ message: String) -> PhysicianFileError { PhysicianFileError(file: path, line: record.line, message: message) }
            guard record.fields.count == header.fields.count else {
                throw fail("expected \(header.fields.count) fields, found \(record.fields.count)")
            }
            func field(_ column: String, max: Int) throws -> String {
                guard let i = index[column] else { return "" }
                let value = record.fields[i].trimmingCharacters(in: .whitespaces)
                guard value.count <= max else { throw fail("\(column) is longer than \(max) characters") }
                guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw fail("\(column) holds a control character")
                }
                return value
            }
            let code = try field("code", max: 10)
            guard !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw fail("code must be 1-10 letters or digits (as Physician--Follow-Up, item 2470, holds it)")
            }
            if let first = seen[code] { throw fail("code \(code) is also on line \(first)") }
            seen[code] = record.line
            let name = try field("name", max: 200)
            guard !name.isEmpty else { throw fail("name is empty") }
            out.append(Physician(code: code, name: name, addressLine: try field("addressLine", max: 200), addressLine2: try field("addressLine2", max: 200),
                                 city: try field("city", max: 100), state: try field("state", max: 2).uppercased(),
                                 postalCode: try field("postalCode", max: 10), phone: try field("phone", max: 20)))
        }
        return out
    }
}

/// What a load did.
public struct PhysicianLoadSummary: Sendable, Equatable, Codable {
    public var added: Int
    public var updated: Int
    public var unchanged: Int

    public init(added: Int, updated: Int, unchanged: Int) {
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
    }
}

extension Registry {
    /// Loads physicians into the directory: new codes are added, known ones take the file's name and address; codes not
    /// in the file stay. One transaction with its audit row; a file with any bad line changes nothing.
    public func loadPhysicians(_ physicians: [Physician], source: String, by actor: ActingUser) async throws -> PhysicianLoadSummary {
        try await pool.withConnection { db in
            try db.transaction { tx in
                var summary = PhysicianLoadSummary(added: 0, updated: 0, unchanged: 0)
                for p in physicians {
                    let row = try tx.query("""
                        INSERT INTO physician AS d (code, name, address_line, address_line2, city, state, postal_code, phone)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                        ON CONFLICT (code) DO UPDATE SET name = excluded.name, address_line = excluded.address_line,
                            address_line2 = excluded.address_line2, city = excluded.city, state = excluded.state,
                            postal_code = excluded.postal_code, phone = excluded.phone, updated_at = now()
                        WHERE (d.name, d.address_line, d.address_line2, d.city, d.state, d.postal_code, d.phone)
                              IS DISTINCT FROM (excluded.name, excluded.address_line, excluded.address_line2, excluded.city,
                                                excluded.state, excluded.postal_code, excluded.phone)
                        RETURNING (xmax = 0) AS inserted
                        """, [p.code, p.name, p.addressLine, p.addressLine2, p.city, p.state, p.postalCode, p.phone])
                    if let inserted = try row.first?.decode(Bool.self, at: 0) {
                        if inserted { summary.added += 1 } else { summary.updated += 1 }
                    } else {
                        summary.unchanged += 1
                    }
                }
                try AuditTrail.record(tx, actor, .import, entity: "physician_directory", detail: [
                    "source": String(source.prefix(255)), "added": String(summary.added), "updated": String(summary.updated),
                    "unchanged": String(summary.unchanged)])
                return summary
            }
        }
    }

    /// The directory's physicians with these codes (all when nil), by code.
    public func physicians(codes: [String]? = nil) async throws -> [String: Physician] {
        try await pool.withConnection { db in
            let rows = try db.query("""
                SELECT code, name, address_line, address_line2, city, state, postal_code, phone FROM physician
                WHERE $1::text[] IS NULL OR code = ANY($1::text[]) ORDER BY code
                """, [codes.map(PostgresTextArray.init)])
            var out: [String: Physician] = [:]
            for r in rows {
                let p = Physician(code: r.text(at: 0) ?? "", name: r.text(at: 1) ?? "", addressLine: r.text(at: 2) ?? "",
                                  addressLine2: r.text(at: 3) ?? "", city: r.text(at: 4) ?? "", state: r.text(at: 5) ?? "",
                                  postalCode: r.text(at: 6) ?? "", phone: r.text(at: 7) ?? "")
                out[p.code] = p
            }
            return out
        }
    }
}
