import ArgumentParser
import CivilCalendar
import Foundation
import Survival

/// `registry survival months`: SEER survival months and flags for a case listing, as SEER*Stat data are prepared.
struct SurvivalMonthsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "months",
        abstract: "SEER survival months and flags (with their presumed-alive twins) for each row of a case listing.",
        discussion: """
            Input: CSV with the header \(Self.header.joined(separator: ",")) (NAACCR codes; dates CCYYMMDD with 99 \
            for an unknown month or day and 9999 for an unknown year). Rows of one patient (same patientIdNumber) are \
            computed together and may disagree on last contact and vital status, as real records do. Output: the rows \
            in the same order with survivalMonths,survivalFlag,survivalMonthsPresumedAlive,survivalFlagPresumedAlive \
            added (9999 and flag 9 where the algorithm says unknown). --today fixes the date the algorithm compares \
            last contact against, for reproducible runs.
            """)

    static let header = ["patientIdNumber", "sequenceNumberCentral", "dateOfDiagnosis", "dateOfBirth", "dateOfLastContact",
                         "vitalStatus", "typeOfReportingSource"]

    @Option(help: ArgumentHelp("The case listing (CSV).", valueName: "file")) var input: String
    @Option(help: ArgumentHelp("Study cutoff year: follow-up ends on 31 December of it.", valueName: "YYYY")) var cutoff: Int
    @Option(help: ArgumentHelp("Today's date for the algorithm (default: today).", valueName: "YYYY-MM-DD")) var today: String?
    @Option(help: "csv or json.") var format = "csv"

    func validate() throws {
        guard (1900...2200).contains(cutoff) else { throw ValidationError("--cutoff is a year such as 2022") }
        if let today, CalendarDate(today.replacingOccurrences(of: "-", with: "")) == nil { throw ValidationError("--today is a date YYYY-MM-DD") }
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format is csv or json") }
    }

    func run() throws {
        let day = today.flatMap { CalendarDate($0.replacingOccurrences(of: "-", with: "")) }
            ?? CalendarDate.today
        guard let data = FileManager.default.contents(atPath: input) else { throw ValidationError("\(input): cannot be read") }
        var lines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" }
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
        guard let first = lines.first else { throw ValidationError("\(input): empty") }
        let columns = first.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let positions = try Self.header.map { name -> Int in
            guard let i = columns.firstIndex(of: name) else { throw ValidationError("\(input):1: the header has no \(name) column (it needs \(Self.header.joined(separator: ",")))") }
            return i
        }
        lines.removeFirst()
        var rows: [[String]] = []
        rows.reserveCapacity(lines.count)
        for (n, line) in lines.enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= columns.count else { throw ValidationError("\(input):\(n + 2): \(fields.count) fields, the header has \(columns.count)") }
            rows.append(fields)
        }
        // Rows grouped by patient, in order of first appearance; results go back to the rows' own places.
        var byPatient: [String: [Int]] = [:], order: [String] = []
        for (i, row) in rows.enumerated() {
            let id = row[positions[0]]
            if byPatient[id] == nil { order.append(id) }
            byPatient[id, default: []].append(i)
        }
        var results = [SEERSurvivalTime.Result?](repeating: nil, count: rows.count)
        func date(_ text: String) -> PartialDate { PartialDate(naaccr: text.isEmpty ? nil : text) }
        for id in order {
            let indices = byPatient[id]!
            let tumors = indices.map { i -> SEERSurvivalTime.Tumor in
                let r = rows[i]
                return .init(diagnosis: date(r[positions[2]]), sequenceNumber: r[positions[1]], reportingSource: r[positions[6]],
                             lastContact: date(r[positions[4]]), vitalStatus: r[positions[5]])
            }
            let computed = SEERSurvivalTime.compute(birth: date(rows[indices[0]][positions[3]]), tumors: tumors, endPointYear: cutoff, today: day)
            for (i, result) in zip(indices, computed) { results[i] = result }
        }
        func months(_ m: Int?) -> String { m.map { String(format: "%04d", $0) } ?? "9999" }
        if format == "json" {
            let objects = zip(rows, results).map { row, r -> [String: String] in
                var o = Dictionary(uniqueKeysWithValues: zip(columns, row))
                o["survivalMonths"] = months(r?.months)
                o["survivalFlag"] = String(r?.flag.rawValue ?? 9)
                o["survivalMonthsPresumedAlive"] = months(r?.presumedAliveMonths)
                o["survivalFlagPresumedAlive"] = String(r?.presumedAliveFlag.rawValue ?? 9)
                return o
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(objects))
            print()
            return
        }
        var out = (columns + ["survivalMonths", "survivalFlag", "survivalMonthsPresumedAlive", "survivalFlagPresumedAlive"]).joined(separator: ",") + "\n"
        for (row, r) in zip(rows, results) {
            out += (row + [months(r?.months), String(r?.flag.rawValue ?? 9), months(r?.presumedAliveMonths),
                           String(r?.presumedAliveFlag.rawValue ?? 9)]).joined(separator: ",") + "\n"
            if out.utf8.count > 1 << 20 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
