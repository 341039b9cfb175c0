import ArgumentParser
import CivilCalendar
import Foundation
import Registry
import Reports

/// `registry followup`: the control list, contacts and attempts.
struct FollowUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "Follow-up: the control list of patients due, delinquent and lost; recording contacts and letters.",
        subcommands: [FollowUpDueCommand.self, FollowUpRecordCommand.self, FollowUpAttemptCommand.self, FollowUpLettersCommand.self, FollowUpDeathsCommand.self])
}

/// A date option given as YYYY-MM-DD or CCYYMMDD.
struct DayArgument: ExpressibleByArgument {
    let date: CalendarDate
    init?(argument: String) {
        guard let date = CalendarDate(argument) else { return nil }
        self.date = date
    }
}

struct FollowUpDueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Living patients last seen 12 months or more ago (due 12-14, delinquent 15-23, lost 24+), oldest contact first.",
        discussion: """
            Cases the Commission on Cancer leaves out of follow-up (non-analytic, cervix in situ, benign/borderline, in situ and \
            localized basal/squamous skin, foreign residents, age 100 or more) are counted, not listed.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }
    @Option(help: ArgumentHelp("The date the list is for (default today).", valueName: "YYYY-MM-DD")) var asOf: DayArgument?
    @Option(help: "table, csv or json.") var format: Format = .table
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let list = try await registry.followUpDue(asOf: asOf?.date ?? .today, includeNames: true, by: try await database.actor(registry))
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(list), as: UTF8.self))
        case .csv, .table:
            let table = ReportTable(
                title: "Follow-up due as of \(list.asOf)",
                columns: ["Patient", "Name", "Last contact", "Months", "Status", "Sites", "Class", "Physician", "Next source", "Due next", "Attempts"],
                rows: list.entries.map { e in
                    [e.patientIdNumber, e.name, e.lastContact, e.monthsSinceContact.map(String.init) ?? "unknown", e.status.rawValue,
                     e.sites.joined(separator: " "), e.classesOfCase.joined(separator: " "), e.physician, e.nextFollowUpSource, e.methodDueNext,
                     String(e.attemptsSinceContact)]
                },
                notes: ["\(list.count(.due)) due, \(list.count(.delinquent)) delinquent, \(list.count(.lost)) lost; cases not followed: "
                        + (list.exclusions.isEmpty ? "none" : list.exclusions.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))])
            print(format == .csv ? table.csv : table.textTable(), terminator: format == .csv ? "" : "\n")
            if format == .csv { printErr(table.notes[0]) }
        }
    }
}

struct FollowUpRecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a follow-up contact: date of last contact, vital status, cancer status of every tumor, cause of death.")

    @Option(help: "The patient's registry id (patientId in 'followup due --format json').") var patient: Int
    @Option(help: ArgumentHelp("Date of the contact.", valueName: "YYYY-MM-DD")) var date: DayArgument
    @Option(help: "Follow-Up Source (1790) code.") var source: String
    @Option(help: "Vital Status (1760): 1 alive, 0 dead.") var vitalStatus: String
    @Option(help: "Cancer Status (1770) for every tumor: 1 no evidence, 2 evidence, 9 unknown.") var cancerStatus: String?
    @Option(help: "Cause of Death (1910), ICD-10, when dead.") var causeOfDeath: String?
    @Option(help: "Next Follow-Up Source (1800) code.") var nextSource: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let actor = try await database.actor(registry)
        let tumors = try await registry.tumorIds(ofPatient: patient)
        let contact = FollowUpContact(date: date.date.naaccrDate, source: source, vitalStatus: vitalStatus,
                                      cancerStatus: cancerStatus.map { status in Dictionary(uniqueKeysWithValues: tumors.map { ($0, status) }) } ?? [:],
                                      causeOfDeath: causeOfDeath, nextFollowUpSource: nextSource)
        do { try await registry.recordFollowUp(patientId: patient, contact, by: actor) } catch let error as FollowUpError {
            throw ValidationError(error.description)
        }
        print("recorded: patient \(patient), contact \(date.date.naaccrDate), \(tumors.count) tumor(s) updated")
    }
}

extension FollowUpMethod: ExpressibleByArgument {}

struct FollowUpAttemptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attempt",
        abstract: "Record a letter sent or a call made, so the control list shows it and what to try next.")

    @Option(help: "The patient's registry id.") var patient: Int
    @Option(help: "physician letter, contact letter, phone call, other hospital contact or other.") var method: FollowUpMethod
    @Option(help: ArgumentHelp("When (default today).", valueName: "YYYY-MM-DD")) var on: DayArgument?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        try await registry.recordFollowUpAttempt(patientId: patient, method: method, on: on?.date ?? .today, by: try await database.actor(registry))
        print("recorded: \(method.rawValue) for patient \(patient)")
    }
}

/// `registry report followup --as-of DATE --reference-date DATE`.
struct FollowUpReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "The CoC follow-up worksheet and rates (last five years: 90%; since the reference date: 80%).")

    @Option(help: ArgumentHelp("The date the rates are for (default today).", valueName: "YYYY-MM-DD")) var asOf: DayArgument?
    @Option(help: ArgumentHelp("The program's reference date.", valueName: "YYYY-MM-DD")) var referenceDate: DayArgument
    @Option(help: ArgumentHelp("Folder for the files.", valueName: "dir")) var out: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Formats with --out: html pdf csv json xlsx.", valueName: "format"))
    var format: [ReportFormat] = [.html, .csv, .json, .xlsx]
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let asOfDate = asOf?.date ?? .today
        let sheet = try await registry.followUpRates(asOf: asOfDate, referenceDate: referenceDate.date, by: try await database.actor(registry))
        let document = sheet.document()
        if let out {
            for url in try document.write(to: URL(fileURLWithPath: out, isDirectory: true), base: "followup-\(sheet.asOf)", formats: format) {
                print(url.path)
            }
        }
        if let table = document.tables.first { print(table.textTable()) }
    }
}

/// `registry report quality --year Y`.
struct QualityReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "The quality dashboard: timeliness, unknowns, DCO and duplicates with their standards, edit sets, follow-up rates, CoC measures.")

    @Option(help: "Diagnosis year.") var year: Int
    @Option(help: ArgumentHelp("The date follow-up is judged on (default today).", valueName: "YYYY-MM-DD")) var asOf: DayArgument?
    @Option(help: ArgumentHelp("The program's reference date (default 1 January of the oldest diagnosis year).", valueName: "YYYY-MM-DD"))
    var referenceDate: DayArgument?
    @Option(help: ArgumentHelp("Folder for the files.", valueName: "dir")) var out: String?
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Formats with --out: html pdf csv json xlsx.", valueName: "format"))
    var format: [ReportFormat] = [.html, .json, .xlsx]
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1900...2100).contains(year) else { throw ValidationError("--year must be a diagnosis year") }
    }

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let oldest = try await registry.diagnosisYears().last?.year ?? year
        let dashboard = try await registry.qualityDashboard(
            year: year, asOf: asOf?.date ?? .today, referenceDate: referenceDate?.date ?? CalendarDate(year: oldest, month: 1, day: 1)!,
            by: try await database.actor(registry))
        let document = dashboard.document()
        if let out {
            for url in try document.write(to: URL(fileURLWithPath: out, isDirectory: true), base: "quality-\(year)", formats: format) { print(url.path) }
        }
        for table in document.tables where table.name != "measure-review" { print(table.textTable() + "\n") }
    }
}

extension FollowUpStatus: ExpressibleByArgument {}

/// `registry followup letters --out DIR`.
struct FollowUpLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letters",
        abstract: "Follow-up letters for the control list: one printable file (HTML, and PDF with Chromium) and a mail-merge CSV.",
        discussion: "To the following physician when a physician letter is due, else to the patient. --record records each letter as sent.")

    @Option(help: ArgumentHelp("Folder for the files.", valueName: "dir")) var out: String
    @Option(help: ArgumentHelp("The date of the letters and of the list (default today).", valueName: "YYYY-MM-DD")) var asOf: DayArgument?
    @Option(help: "due, delinquent or lost (default all).") var status: FollowUpStatus?
    @Option(help: "At most this many letters.") var limit = 500
    @Flag(help: "Record each letter as a follow-up attempt.") var record = false
    @Option(help: ArgumentHelp("Name on the letterhead.", valueName: "name")) var registryName = ""
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1 to 100000") }
    }

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let day = asOf?.date ?? .today
        let letters = try await registry.followUpLetters(asOf: day, status: status, limit: limit, record: record, by: try await database.actor(registry))
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let date = day.description
        let html = folder.appendingPathComponent("followup-letters-\(date).html"), csv = folder.appendingPathComponent("followup-letters-\(date).csv")
        try Data(FollowUpLetters.html(letters, registryName: registryName, date: date).utf8).write(to: html, options: .atomic)
        try Data(FollowUpLetters.csv(letters, date: date).utf8).write(to: csv, options: .atomic)
        print(html.path)
        print(csv.path)
        printErr("\(letters.count) letter(s): \(letters.filter(\.toPhysician).count) to physicians, \(letters.filter { !$0.toPhysician }.count) to patients"
                 + (record ? "; recorded as sent" : ""))
    }
}

/// `registry followup deaths load FILE | list | accept ID... | reject ID...`.
struct FollowUpDeathsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deaths",
        abstract: "Deaths from the state's death-certificate file: match to patients, list for review, accept (records the death) or reject.",
        discussion: """
            load FILE.csv: header with dateOfDeath, causeOfDeath (ICD-10), optional placeOfDeathState, and patientIdNumber or \
            nameLast,nameFirst,dateOfBirth,sex; or load FILE (a NAACCR XML or flat file of dead patients: Vital Status 0, \
            Date of Last Contact as the date of death, Cause of Death, Place of Death--State). Matches are exact and held \
            for review; lines matching nobody or several patients are reported by line number.
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable { case load, list, accept, reject }
    @Argument(help: "load, list, accept or reject.") var action: Action
    @Argument(help: ArgumentHelp("The file (load) or match ids (accept, reject).", valueName: "file|id")) var values: [String] = []
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let actor = try await database.actor(registry)
        switch action {
        case .load:
            guard let file = values.first else { throw ValidationError("load needs the file") }
            do {
                let s = try await registry.loadDeaths(path: file, by: actor)
                print("\(s.matched) death(s) matched and held for review (\(s.alreadyDead) already recorded dead); "
                      + "no match on line(s) \(s.unmatched.map(String.init).joined(separator: ", ").nilIfEmpty ?? "none"); "
                      + "several patients on line(s) \(s.ambiguous.map(String.init).joined(separator: ", ").nilIfEmpty ?? "none")")
            } catch let error as DeathFileError { throw ValidationError(error.description) }
        case .list:
            for m in try await registry.pendingDeaths(by: actor) {
                print("\(m.id)\tpatient \(m.patientIdNumber)\tdied \(m.dateOfDeath)\tcause \(m.causeOfDeath)\tmatched on \(m.matchedOn)"
                      + "\tregistry: vital status \(m.vitalStatus), last contact \(m.lastContact)")
            }
        case .accept, .reject:
            let ids = try values.map { v -> Int in
                guard let id = Int(v) else { throw ValidationError("'\(v.prefix(20))' is not a match id") }
                return id
            }
            guard !ids.isEmpty else { throw ValidationError("give the match ids ('registry followup deaths list')") }
            for id in ids {
                do { try await registry.reviewDeath(id, accept: action == .accept, by: actor) } catch let error as FollowUpError {
                    throw ValidationError("match \(id): \(error.description)")
                }
            }
            print("\(ids.count) match(es) \(action == .accept ? "accepted: deaths recorded" : "rejected")")
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
