import CivilCalendar
import Coding
import Foundation
import Postgres
import RegistryStore
import Survival

/// One case for the survival command, with whatever the chosen method needs.
public struct SurvivalRecord: Sendable {
    public var group: String
    public var months: Double
    public var event: Bool
    /// For relative and net survival.
    public var relative: RelativeSurvivalCase?
    /// Age at diagnosis in years, for age standardisation.
    public var age: Int?
    /// Months after diagnosis when observation began (period analysis); 0 for cohort analysis.
    public var entryMonths: Double = 0
    /// Stratum for the stratified log-rank test.
    public var stratum: String = ""

    public var survivalCase: SurvivalCase { SurvivalCase(time: months, event: event, entry: entryMonths) }
}

/// A case listing that is not usable, with the line and column at fault.
public struct SurvivalInputError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

public enum SurvivalInput {
    static let daysPerMonth = 365.24 / 12

    /// Reads `time_months,event[,group]` or `dx_date,last_contact_date,vital_status,age,sex[,group]` CSV (header required).
    public static func readCSV(path: String) throws -> [SurvivalRecord] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        if let records = try readTimeEvent(data, path: path) { return records }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else { throw SurvivalInputError(file: path, line: 1, message: "the file is empty") }
        let header = headerLine.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        let group = column("group"), ageColumn = column("age"), stratumColumn = column("stratum")
        var records: [SurvivalRecord] = []
        if let time = column("time_months"), let event = column("event") {
            for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                func fail(_ m: String) -> SurvivalInputError { SurvivalInputError(file: path, line: i + 1, message: m) }
                guard f.count == header.count else { throw fail("expected \(header.count) fields, found \(f.count)") }
                guard let months = Double(f[time]), months.isFinite, months >= 0 else {
                    throw fail("time_months '\(f[time])' is not a non-negative number")
                }
                guard f[event] == "0" || f[event] == "1" else { throw fail("event '\(f[event])' must be 1 (death) or 0 (censored)") }
                var record = SurvivalRecord(group: group.map { f[$0] } ?? "All cases", months: months, event: f[event] == "1")
                record.age = ageColumn.flatMap { Int(f[$0]) }
                record.stratum = stratumColumn.map { f[$0] } ?? ""
                records.append(record)
            }
            return records
        }
        let needed = ["dx_date", "last_contact_date", "vital_status", "age", "sex"]
        guard needed.allSatisfy({ column($0) != nil }) else {
            throw SurvivalInputError(file: path, line: 1, message: "the header must have time_months,event[,group] or "
                                     + "dx_date,last_contact_date,vital_status,age,sex[,group]; it has \(headerLine)")
        }
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func fail(_ m: String) -> SurvivalInputError { SurvivalInputError(file: path, line: i + 1, message: m) }
            guard f.count == header.count else { throw fail("expected \(header.count) fields, found \(f.count)") }
            guard let dx = CalendarDate(f[column("dx_date")!]) else { throw fail("dx_date '\(f[column("dx_date")!])' is not YYYY-MM-DD") }
            guard let last = CalendarDate(f[column("last_contact_date")!]) else {
                throw fail("last_contact_date '\(f[column("last_contact_date")!])' is not YYYY-MM-DD")
            }
            let status = f[column("vital_status")!].lowercased()
            guard ["0", "1", "4", "dead", "alive"].contains(status) else {
                throw fail("vital_status '\(status)' must be alive/dead or the NAACCR code 1 (alive) / 0 (dead)")
            }
            guard let age = Double(f[column("age")!]), (0...130).contains(age) else { throw fail("age '\(f[column("age")!])' is not 0-130") }
            guard let sex = LifeTableSex(code: f[column("sex")!]) else { throw fail("sex '\(f[column("sex")!])' must be male/female or 1/2") }
            let days = Double(last.daysSinceEpoch - dx.daysSinceEpoch)
            guard days >= 0 else { throw fail("last contact is before diagnosis") }
            let dead = status == "0" || status == "4" || status == "dead"
            records.append(SurvivalRecord(
                group: group.map { f[$0] } ?? "All cases", months: days / daysPerMonth, event: dead,
                relative: RelativeSurvivalCase(days: days, event: dead, ageDays: age * PopulationLifeTable.daysPerYear, sex: sex,
                                               diagnosisDay: Double(dx.daysSinceEpoch)),
                age: Int(age), stratum: stratumColumn.map { f[$0] } ?? ""))
        }
        return records
    }
}

extension SurvivalInput {
    /// The `time_months,event[,group][,age][,stratum]` listing read byte by byte (no line or field strings; a group
    /// name is made once per distinct value); nil when the header is of the other kind. Errors name the line.
    static func readTimeEvent(_ data: Data, path: String) throws -> [SurvivalRecord]? {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [SurvivalRecord]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            var headerEnd = 0
            while headerEnd < n && bytes[headerEnd] != 0x0a { headerEnd += 1 }
            let header = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<headerEnd]), as: UTF8.self)
                .split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
            guard let time = header.firstIndex(of: "time_months"), let event = header.firstIndex(of: "event") else { return nil }
            let group = header.firstIndex(of: "group"), age = header.firstIndex(of: "age"), stratum = header.firstIndex(of: "stratum")
            var records: [SurvivalRecord] = []
            records.reserveCapacity(n / 12)
            var names: [String: String] = [:]
            var fields = [Range<Int>](repeating: 0..<0, count: header.count)
            var line = 1, pos = headerEnd + 1
            func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
            // Group names repeat: the first 64 distinct ones are found by comparing bytes (no string per row).
            var seen: [(bytes: [UInt8], name: String)] = []
            func name(_ r: Range<Int>) -> String {
                let slice = UnsafeBufferPointer(rebasing: bytes[r])
                for entry in seen where entry.bytes.count == slice.count {
                    if slice.isEmpty || entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, slice.baseAddress!, slice.count) == 0 }) {
                        return entry.name
                    }
                }
                let s = text(r)
                if let known = names[s] { return known }
                names[s] = s
                if seen.count < 64 { seen.append((Array(slice), s)) }
                return s
            }
            while pos < n {
                line += 1
                var end = pos
                while end < n && bytes[end] != 0x0a { end += 1 }
                defer { pos = end + 1 }
                // Fields, trimmed of spaces and a carriage return.
                var count = 0, start = pos, i = pos
                var blank = true
                while i <= end {
                    if i == end || bytes[i] == 0x2c {
                        var a = start, b = i
                        while a < b && (bytes[a] == 0x20 || bytes[a] == 0x09) { a += 1 }
                        while b > a && (bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 || bytes[b - 1] == 0x0d) { b -= 1 }
                        if b > a { blank = false }
                        if count < fields.count { fields[count] = a..<b }
                        count += 1
                        start = i + 1
                    }
                    i += 1
                }
                if blank && count <= 1 { continue }
                func fail(_ m: String) -> SurvivalInputError { SurvivalInputError(file: path, line: line, message: m) }
                guard count == header.count else { throw fail("expected \(header.count) fields, found \(count)") }
                guard let months = number(bytes, fields[time]) ?? Double(text(fields[time])), months.isFinite, months >= 0 else {
                    throw fail("time_months '\(text(fields[time]).prefix(40))' is not a non-negative number")
                }
                let e = fields[event]
                guard e.count == 1, bytes[e.lowerBound] == 0x30 || bytes[e.lowerBound] == 0x31 else {
                    throw fail("event '\(text(e).prefix(20))' must be 1 (death) or 0 (censored)")
                }
                var record = SurvivalRecord(group: group.map { name(fields[$0]) } ?? "All cases", months: months, event: bytes[e.lowerBound] == 0x31)
                record.age = age.flatMap { Int(text(fields[$0])) }
                record.stratum = stratum.map { name(fields[$0]) } ?? ""
                records.append(record)
            }
            return records
        }
    }

    /// A plain decimal number of at most 15 digits (digits, an optional point and digits), nil for anything else (then
    /// parsed as text). The digits as an integer below 2^53 divided by an exact power of ten is one correctly rounded
    /// division: the same double as parsing the text.
    @inline(__always) static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double? {
        guard !r.isEmpty else { return nil }
        var mantissa = 0, i = r.lowerBound, digits = 0, scale = 1, point = false
        while i < r.upperBound {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 {
                mantissa = mantissa * 10 + Int(c - 0x30)
                digits += 1
                if point { scale *= 10 }
            } else if c == 0x2e && !point {
                point = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        return Double(mantissa) / Double(scale)
    }
}

/// Which cases from the store enter an analysis, and how they are grouped.
public struct StoreSelection: Sendable {
    public enum Grouping: String, CaseIterable, Sendable { case site, stage, sex, yearGroup = "year-group", none }
    public var grouping: Grouping
    public var strata: Grouping?
    /// Period analysis: only follow-up inside these calendar years counts (Brenner).
    public var period: ClosedRange<Int>?
    public var fromYear: Int
    public var toYear: Int
    public var endPointYear: Int
    public var firstPrimaryOnly: Bool
    public var presumedAlive: Bool
    /// Cause-specific survival: the event is death attributed to the tumor by the SEER cause-specific death
    /// classification; deaths of other causes are censored; an unknown cause of death or a later tumor is left out.
    public var causeSpecific = false

    public init(grouping: Grouping, strata: Grouping?, period: ClosedRange<Int>?, fromYear: Int, toYear: Int, endPointYear: Int,
                firstPrimaryOnly: Bool, presumedAlive: Bool) {
        self.grouping = grouping
        self.strata = strata
        self.period = period
        self.fromYear = fromYear
        self.toYear = toYear
        self.endPointYear = endPointYear
        self.firstPrimaryOnly = firstPrimaryOnly
        self.presumedAlive = presumedAlive
    }
}

/// Why cases were left out, with counts, for the report.
public struct Exclusions: Sendable {
    public var counts: [String: Int] = [:]
    public init() {}
    mutating func add(_ reason: String) { counts[reason, default: 0] += 1 }
}

extension SurvivalInput {
    static let stageLabels = ["0": "In situ", "1": "Localized", "2": "Regional", "3": "Regional", "4": "Regional",
                              "7": "Distant", "8": "Not applicable", "9": "Unknown stage"]

    /// The selected tumors' rows: one row per tumor, a patient's rows together.
    static func cohortRows(_ db: PostgresConnection, _ selection: StoreSelection) throws -> PostgresResult {
        try db.query("""
            SELECT p.id, p.date_of_birth AS birth, p.date_of_last_contact, p.vital_status, p.sex_assigned_at_birth,
                   t.date_of_diagnosis, t.sequence_number_central, t.type_of_reporting_source AS source,
                   t.primary_site, t.summary_stage_2018, t.diagnosis_year, t.age_at_diagnosis AS age,
                   t.histologic_type, t.behavior,
                   CASE WHEN $3 THEN p.items->>'1910' END, CASE WHEN $3 THEN p.items->>'1920' END  -- causeOfDeath, icdRevisionNumber
            FROM tumor t JOIN patient p ON p.id = t.patient_id
            WHERE t.diagnosis_year BETWEEN $1 AND $2 AND t.behavior = '3'
            ORDER BY p.id, t.id
            """, [selection.fromYear, selection.toYear, selection.causeSpecific])
    }

    /// SEER survival months for the selected rows, with the usual exclusions counted.
    static func records(_ rows: PostgresResult, _ selection: StoreSelection) throws -> ([SurvivalRecord], Exclusions) {
        let today = CalendarDate.today
        var records: [SurvivalRecord] = []
        var exclusions = Exclusions()
        var start = 0
        while start < rows.count {
            var end = start
            let patientId = try rows[start].decode(Int.self, at: 0)
            while end < rows.count, try rows[end].decode(Int.self, at: 0) == patientId { end += 1 }
            let patient = rows[start]
            let tumors = (start..<end).map { rows[$0] }
            let results = SEERSurvivalTime.compute(
                birth: PartialDate(naaccr: patient.text(at: 1)), lastContact: PartialDate(naaccr: patient.text(at: 2)),
                vitalStatus: patient.text(at: 3) ?? "", tumors: tumors.map {
                    .init(diagnosis: PartialDate(naaccr: $0.text(at: 5)), sequenceNumber: $0.text(at: 6) ?? "00",
                          reportingSource: $0.text(at: 7) ?? "1")
                }, endPointYear: selection.endPointYear, today: today)
            for (tumor, result) in zip(tumors, results) {
                let sequence = tumor.text(at: 6) ?? ""
                if selection.firstPrimaryOnly, !["00", "01"].contains(sequence) { exclusions.add("not the first primary"); continue }
                let months = selection.presumedAlive ? result.presumedAliveMonths : result.months
                let flag = selection.presumedAlive ? result.presumedAliveFlag : result.flag
                if flag == .deathCertificateOrAutopsyOnly { exclusions.add("death certificate or autopsy only"); continue }
                guard let months, let days = selection.presumedAlive ? result.presumedAliveDays : result.days,
                      let dxDay = result.diagnosisDay else { exclusions.add("unknown survival time"); continue }
                var dead = patient.text(at: 3) == "0" || patient.text(at: 3) == "4"
                if selection.causeSpecific && dead {
                    let lastContactYear: Int? = patient.text(at: 2).flatMap { Int($0.prefix(4)) }
                    let input = CauseSpecificDeath.Input(
                        sequenceNumber: sequence, icdRevision: patient.text(at: 15) ?? "", causeOfDeath: patient.text(at: 14) ?? "",
                        primarySite: tumor.text(at: 8) ?? "", histology: tumor.text(at: 12) ?? "", behavior: tumor.text(at: 13) ?? "",
                        lastContactYear: lastContactYear, vitalStatus: patient.text(at: 3) ?? "")
                    let classification = CauseSpecificDeath.classify(input, cutoffYear: selection.endPointYear).causeSpecific
                    switch classification {
                    case .unknownCause: exclusions.add("dead of an unknown cause (cause-specific survival)"); continue
                    case .notFirstTumor: exclusions.add("not the first tumor (cause-specific survival)"); continue
                    case .dead: break
                    case .aliveOrOtherCause: dead = false  // death of another cause: censored at death
                    }
                }
                let lastContactDay = dxDay + days
                let diedWithinFollowUp = dead && lastContactDay < CalendarDate(year: selection.endPointYear + 1, month: 1, day: 1)!.daysSinceEpoch
                let sex = LifeTableSex(code: patient.text(at: 4) ?? "")
                let age = tumor.text(at: 11).flatMap { Int($0) }.flatMap { $0 <= 120 ? $0 : nil }
                func label(_ grouping: StoreSelection.Grouping) -> String {
                    switch grouping {
                    case .site:
                        return SEERSiteRecode.revision2023.recode(site: tumor.text(at: 8) ?? "", histology: tumor.text(at: 12) ?? "",
                                                                  behavior: tumor.text(at: 13) ?? "", year: Int(tumor.text(at: 10) ?? "")).name
                    case .stage: return stageLabels[tumor.text(at: 9) ?? ""] ?? "Unknown stage"
                    case .sex: return sex == .male ? "Male" : sex == .female ? "Female" : "Other or unknown sex"
                    case .yearGroup:
                        let year = Int(tumor.text(at: 10) ?? "") ?? 0
                        let first = selection.fromYear + (year - selection.fromYear) / 5 * 5
                        return "\(first)-\(Swift.min(first + 4, selection.toYear))"
                    case .none: return "All cases"
                    }
                }
                let group = label(selection.grouping)
                let relative = sex.flatMap { sex in age.map { age in
                    RelativeSurvivalCase(days: Double(days), event: diedWithinFollowUp, ageDays: (Double(age) + 0.5) * PopulationLifeTable.daysPerYear,
                                         sex: sex, diagnosisDay: Double(dxDay))
                } }
                var record = SurvivalRecord(group: group, months: Double(months), event: diedWithinFollowUp, relative: relative,
                                            age: age, stratum: selection.strata.map(label) ?? "")
                if let period = selection.period {
                    // Brenner's period analysis: observed from the window's start (or diagnosis), censored at its end.
                    let windowStart = CalendarDate(year: period.lowerBound, month: 1, day: 1)!.daysSinceEpoch
                    let windowEnd = CalendarDate(year: period.upperBound + 1, month: 1, day: 1)!.daysSinceEpoch
                    let entryDay = Swift.max(dxDay, windowStart), exitDay = Swift.min(lastContactDay, windowEnd)
                    guard exitDay > entryDay else { exclusions.add("no follow-up inside the period window"); continue }
                    record.entryMonths = Double(entryDay - dxDay) / daysPerMonth
                    record.months = Double(exitDay - dxDay) / daysPerMonth
                    record.event = dead && lastContactDay <= windowEnd
                }
                records.append(record)
            }
            start = end
        }
        return (records, exclusions)
    }
}

extension Registry {
    /// The survival cohort `selection` describes: malignant tumors diagnosed in its years, with SEER survival months
    /// and the exclusions counted. The read and its audit row (selection and count, no patient data) are one transaction.
    public func survivalCohort(_ selection: StoreSelection, by actor: ActingUser) async throws -> ([SurvivalRecord], Exclusions) {
        try await pool.withConnection { db in
            let rows = try db.transaction { tx in
                let rows = try SurvivalInput.cohortRows(tx, selection)
                try AuditTrail.record(tx, actor, .search, entity: "survival_analysis", detail: [
                    "from": String(selection.fromYear), "to": String(selection.toYear), "tumors": String(rows.count)])
                return rows
            }
            return try SurvivalInput.records(rows, selection)
        }
    }
}
