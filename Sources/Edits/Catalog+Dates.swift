import CivilCalendar
import Foundation

/// Date validity, date order, age and vital-status consistency.
extension EditCatalog {
    /// Today's date (UTC) as the edits compare dates, read when a run starts (never once per process: a service
    /// running past midnight must not call tomorrow's dates valid today).
    public static func currentDate(_ now: Date = Date()) -> EditDate {
        let day = CalendarDate(daysSinceEpoch: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
        return EditDate(String(format: "%04d%02d%02d", day.year, day.month, day.day))!
    }

    static func validDate(_ id: String, _ name: String, _ item: Item, earliestYear: Int = 1900) -> Edit {
        Edit(id: id, name: name, kind: .singleField, items: [item],
             note: "NAACCR DATEEDIT: CCYYMMDD, CCYYMM or CCYY; a real calendar date; not before \(earliestYear) or after today") { r in
            guard let text = r[item] else { return .skip }
            guard let date = EditDate(text) else {
                return .fail("\(item.naaccrId) '\(text)' is not a date (CCYYMMDD, CCYYMM or CCYY with a real month and day)")
            }
            if date.year < earliestYear { return .fail("\(item.naaccrId) '\(text)' is before \(earliestYear)") }
            if let order = EditDate.compare(date, r.today), order > 0 { return .fail("\(item.naaccrId) '\(text)' is in the future") }
            return .pass
        }
    }

    /// `later` must not be before `earlier` (compared at the precision both dates know); skipped when either is blank or invalid.
    static func dateOrder(_ id: String, _ name: String, earlier: Item, later: Item, override: (Item, Set<String>)? = nil,
                          note: String = "") -> Edit {
        Edit(id: id, name: name, kind: .interField, items: [earlier, later], override: override, note: note) { r in
            guard let a = EditDate(r[earlier]), let b = EditDate(r[later]) else { return .skip }
            if let order = EditDate.compare(b, a), order < 0 {
                return .fail("\(later.naaccrId) \(r[later]!) is before \(earlier.naaccrId) \(r[earlier]!)")
            }
            return .pass
        }
    }

    /// Built afresh on each call: every engine gets closures of its own (no reference counts shared between threads).
    static func makeDates() -> [Edit] { [
        validDate("DT01", "Date of Diagnosis (NAACCR DATEEDIT)", .diagnosisDate),
        validDate("DT02", "Date of Birth (NAACCR DATEEDIT)", .birthDate, earliestYear: 1850),
        validDate("DT03", "Date of Last Contact (NAACCR DATEEDIT)", .lastContact),
        validDate("DT04", "Date of 1st Contact (NAACCR DATEEDIT)", .firstContact),
        validDate("DT05", "RX Date--Surgery (NAACCR DATEEDIT)", .surgeryDate),
        validDate("DT06", "RX Date--Radiation (NAACCR DATEEDIT)", .radiationDate),
        validDate("DT07", "RX Date--Chemo (NAACCR DATEEDIT)", .chemoDate),
        validDate("DT08", "RX Date--Hormone (NAACCR DATEEDIT)", .hormoneDate),
        validDate("DT09", "RX Date--Systemic (NAACCR DATEEDIT)", .systemicDate),
        validDate("DT10", "RX Date--Most Defin Surg (NAACCR DATEEDIT)", .definitiveSurgeryDate),
        validDate("DT11", "Date Initial RX SEER (NAACCR DATEEDIT)", .firstTreatmentDate),
        validDate("DT12", "Date of Last Cancer Status (NAACCR DATEEDIT)", .cancerStatusDate),
        dateOrder("DO01", "Date of Diagnosis, Date of Birth (NAACCR)", earlier: .birthDate, later: .diagnosisDate,
                  override: (.overrideAgeSiteMorph, ["2", "3"]),
                  note: "A diagnosis before birth is a diagnosis in utero: reviewed and confirmed, Over-ride Age/Site/Morph (1990) 2 or 3 clears it"),
        dateOrder("DO02", "Date of Last Contact, Date of Diagnosis (NAACCR)", earlier: .diagnosisDate, later: .lastContact),
        dateOrder("DO03", "Date of Last Contact, Date of Birth (NAACCR)", earlier: .birthDate, later: .lastContact),
        dateOrder("DO04", "Date of 1st Contact, Date of Birth (NAACCR)", earlier: .birthDate, later: .firstContact,
                  override: (.overrideAgeSiteMorph, ["2", "3"]),
                  note: "First contact before birth happens with a diagnosis in utero: Over-ride Age/Site/Morph (1990) 2 or 3 clears it"),
        dateOrder("DO05", "RX Date--Surgery, Date of Diagnosis (NAACCR)", earlier: .diagnosisDate, later: .surgeryDate),
        dateOrder("DO06", "RX Date--Radiation, Date of Diagnosis (NAACCR)", earlier: .diagnosisDate, later: .radiationDate),
        dateOrder("DO07", "RX Date--Chemo, Date of Diagnosis (NAACCR)", earlier: .diagnosisDate, later: .chemoDate),
        dateOrder("DO08", "RX Date--Hormone, Date of Diagnosis (NAACCR)", earlier: .diagnosisDate, later: .hormoneDate),
        dateOrder("DO09", "RX Date--Surgery, Date of Last Contact (NAACCR)", earlier: .surgeryDate, later: .lastContact),
        dateOrder("DO10", "Date Initial RX SEER, Date of Diagnosis (NAACCR)", earlier: .diagnosisDate, later: .firstTreatmentDate),
        dateOrder("DO11", "Date of Last Cancer Status, Date of Last Contact (NAACCR)", earlier: .cancerStatusDate, later: .lastContact),
        Edit(id: "AG01", name: "Age at Diagnosis, Date of Birth, Date of Diagnosis (NAACCR)", kind: .interField,
             items: [.age, .birthDate, .diagnosisDate],
             note: "Age is the completed years from birth to diagnosis (item 230 definition); 999 when either year is unknown. "
                + "With a month or day unknown, either of the two possible ages is accepted. Unsure of the exact edit name.") { r in
            guard let ageText = r[.age], let age = Int(ageText), ageText.count == 3 else { return .skip }
            let birth = EditDate(r[.birthDate]), diagnosis = EditDate(r[.diagnosisDate])
            guard let birth, let diagnosis else {
                return age == 999 || (birth == nil && diagnosis == nil) ? .pass : .skip
            }
            // Item 230: 000 is under one year old, which includes a diagnosis in utero (before the date of birth).
            if let order = EditDate.compare(diagnosis, birth), order < 0 {
                return age == 0 ? .pass : .fail("dateOfDiagnosis is before dateOfBirth (in utero): ageAtDiagnosis must be 000, not \(ageText)")
            }
            let years = diagnosis.year - birth.year
            var possible: Set<Int> = [years, years - 1]
            if let bm = birth.month, let dm = diagnosis.month, bm != dm || (birth.day != nil && diagnosis.day != nil) {
                let hadBirthday = dm > bm || (dm == bm && (diagnosis.day ?? 0) >= (birth.day ?? 0))
                possible = [hadBirthday ? years : years - 1]
            }
            if age == 999 { return .fail("ageAtDiagnosis is 999 (unknown) but both dates are known: expected \(possible.sorted().map(String.init).joined(separator: " or "))") }
            return possible.contains(age) ? .pass
                : .fail("ageAtDiagnosis \(ageText) does not agree with dateOfBirth and dateOfDiagnosis (expected \(possible.sorted().map(String.init).joined(separator: " or ")))")
        },
        Edit(id: "VS01", name: "Cause of Death, Vital Status (SEER)", kind: .interField, items: [.vitalStatus, .causeOfDeath],
             note: "Alive: cause of death 0000; dead: a cause (or 7777/7797 unknown), never 0000. Unsure of the exact name.") { r in
            guard let status = r[.vitalStatus], ["0", "1"].contains(status), let cause = r[.causeOfDeath] else { return .skip }
            if status == "1" && cause != "0000" { return .fail("vitalStatus 1 (alive) but causeOfDeath is \(cause), not 0000") }
            if status == "0" && cause == "0000" { return .fail("vitalStatus 0 (dead) but causeOfDeath is 0000 (patient alive)") }
            return .pass
        },
        Edit(id: "VS02", name: "ICD Revision Number, Cause of Death (SEER)", kind: .interField, items: [.icdRevision, .causeOfDeath],
             note: "0 with cause 0000 (alive); a death cause needs the ICD revision it is coded in (1 ICD-10, 7/8/9 older).") { r in
            guard let revision = r[.icdRevision], let cause = r[.causeOfDeath] else { return .skip }
            if cause == "0000" { return revision == "0" ? .pass : .fail("causeOfDeath 0000 (alive) needs icdRevisionNumber 0, not \(revision)") }
            if revision == "0" { return .fail("causeOfDeath \(cause) needs the ICD revision it is coded in; icdRevisionNumber is 0") }
            if ["7777", "7797"].contains(cause) { return .pass }
            // ICD-10 (revision 1) codes are a letter and digits; ICD-7, -8 and -9 codes are four digits.
            let icd10 = cause.utf8.first.map { $0 >= 65 && $0 <= 90 } ?? false
            if revision == "1" && !icd10 { return .fail("causeOfDeath \(cause) is not an ICD-10 code (a letter and digits), as icdRevisionNumber 1 says") }
            if ["7", "8", "9"].contains(revision) && !isDigits(cause, count: 4) {
                return .fail("causeOfDeath \(cause) is not an ICD-\(revision) code (four digits), as icdRevisionNumber \(revision) says")
            }
            return .pass
        },
        Edit(id: "VS03", name: "Place of Death--State, Vital Status (NAACCR)", kind: .interField, items: [.vitalStatus, .placeOfDeathState],
             note: "A living patient has no place of death.") { r in
            guard r[.vitalStatus] == "1" else { return .skip }
            return r[.placeOfDeathState] == nil ? .pass : .fail("vitalStatus 1 (alive) but placeOfDeathState is \(r[.placeOfDeathState]!)")
        },
    ] }
}
