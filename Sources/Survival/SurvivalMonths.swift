import CivilCalendar

/// A NAACCR date whose month or day may be unknown (CCYY, CCYYMM or CCYYMMDD; 99 or blank parts unknown).
public struct PartialDate: Sendable, Hashable {
    public var year: Int?
    public var month: Int?
    public var day: Int?

    public init(year: Int?, month: Int? = nil, day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses CCYYMMDD text as NAACCR writes it; an invalid month makes month and day unknown, an invalid day the day.
    public init(naaccr text: String?) {
        let digits = Array((text ?? "").utf8).map { Int($0) - 48 }
        func number(_ range: Range<Int>) -> Int? {
            guard digits.count >= range.upperBound, range.allSatisfy({ (0...9).contains(digits[$0]) }) else { return nil }
            return range.reduce(0) { $0 * 10 + digits[$1] }
        }
        year = number(0..<4)
        month = number(4..<6).flatMap { (1...12).contains($0) ? $0 : nil }
        day = month == nil ? nil : number(6..<8)
        if let y = year, let m = month, let d = day, !(1...CalendarDate.daysInMonth(year: y, month: m)).contains(d) { day = nil }
    }

    var isComplete: Bool { year != nil && month != nil && day != nil }
}

/// The SEER survival-time algorithm ("SEER Survival Time in Months", 2014): survival months and flags for each
/// of a patient's tumors, from the diagnosis dates, the date of last contact and the vital status, with partial
/// dates imputed from their neighbours (birth, the patient's other tumors, last contact) and follow-up ending
/// on 31 December of the study's end-point year.
public enum SEERSurvivalTime {
    public struct Tumor: Sendable {
        public var diagnosis: PartialDate
        public var sequenceNumber: String
        /// NAACCR Type of Reporting Source: 6 autopsy only, 7 death certificate only.
        public var reportingSource: String

        public init(diagnosis: PartialDate, sequenceNumber: String = "00", reportingSource: String = "1") {
            self.diagnosis = diagnosis
            self.sequenceNumber = sequenceNumber
            self.reportingSource = reportingSource
        }
    }

    /// Survival flags (NAACCR item 1844 and its presumed-alive twin).
    public enum Flag: Int, Sendable {
        case completeZeroDays = 0, completeSomeDays = 1, incompleteZeroPossible = 2, incompleteSomeSurvival = 3
        case deathCertificateOrAutopsyOnly = 8, unknown = 9
    }

    public struct Result: Sendable, Equatable {
        /// Whole months (days ÷ 365.24/12, rounded down); nil is 9999 (unknown).
        public var months: Int?
        public var days: Int?
        public var flag: Flag
        public var presumedAliveMonths: Int?
        public var presumedAliveDays: Int?
        public var presumedAliveFlag: Flag
        /// The diagnosis date used (imputed where parts were unknown), days since 1970-01-01.
        public var diagnosisDay: Int?
    }

    /// One result per tumor, in the order given.
    public static func compute(birth: PartialDate, lastContact: PartialDate, vitalStatus: String, tumors: [Tumor],
                               endPointYear: Int, today: CalendarDate) -> [Result] {
        let unknown = Result(months: nil, days: nil, flag: .unknown, presumedAliveMonths: nil, presumedAliveDays: nil,
                             presumedAliveFlag: .unknown, diagnosisDay: nil)
        let alive = vitalStatus == "1"
        let cutoff = CalendarDate(year: endPointYear, month: 12, day: 31)!.daysSinceEpoch
        var lastContactKnown = lastContact.year.map { $0 >= 1900 && $0 <= today.year } ?? false
        if let year = lastContact.year, let month = lastContact.month, year == today.year, month > today.month { lastContactKnown = false }

        // Tumors that can be dated, in diagnosis order (then sequence number).
        var usable = tumors.indices.filter { i in
            guard let year = tumors[i].diagnosis.year else { return false }
            return year >= 1900 && year <= endPointYear
        }
        usable.sort { a, b in
            let x = tumors[a].diagnosis, y = tumors[b].diagnosis
            let kx = (x.year ?? 0, x.month ?? 0, x.day ?? 0), ky = (y.year ?? 0, y.month ?? 0, y.day ?? 0)
            return kx != ky ? kx < ky : tumors[a].sequenceNumber < tumors[b].sequenceNumber
        }

        // Impute each date from its neighbours: birth, the tumors in order, then last contact.
        let events = [birth] + usable.map { tumors[$0].diagnosis } + [lastContact]
        var imputed = [Int?](repeating: nil, count: events.count)
        for k in events.indices {
            imputed[k] = impute(events[k], previous: k > 0 ? imputed[k - 1] : nil, next: events[(k + 1)...].first { $0.isComplete }
                .flatMap { day(of: $0) }, isBirth: k == 0)
        }
        var results = [Result](repeating: unknown, count: tumors.count)
        let lastContactDay = lastContactKnown ? imputed[events.count - 1].map { Swift.min($0, cutoff) } : nil

        var anyLaterSurvival = false
        for (position, index) in usable.enumerated().reversed() {
            let tumor = tumors[index]
            guard let dx = imputed[position + 1] else { continue }
            if tumor.reportingSource == "6" || tumor.reportingSource == "7" {
                results[index] = Result(months: nil, days: nil, flag: .deathCertificateOrAutopsyOnly, presumedAliveMonths: nil,
                                        presumedAliveDays: nil, presumedAliveFlag: .deathCertificateOrAutopsyOnly, diagnosisDay: dx)
                continue
            }
            let complete = tumor.diagnosis.isComplete && lastContact.isComplete
            let zeroPossible = !complete && tumor.diagnosis.year == lastContact.year
                && (tumor.diagnosis.month == nil || lastContact.month == nil || tumor.diagnosis.month == lastContact.month)
            func survival(until end: Int?) -> (months: Int?, days: Int?, flag: Flag) {
                guard let end, end - dx >= 0 else { return (nil, nil, .unknown) }
                let days = end - dx
                let months = Int((Double(days) / (365.24 / 12)).rounded(.down))
                let flag: Flag = complete ? (days == 0 ? .completeZeroDays : .completeSomeDays)
                    : (zeroPossible && !anyLaterSurvival ? .incompleteZeroPossible : .incompleteSomeSurvival)
                return (months, days, flag)
            }
            let actual = survival(until: lastContactDay)
            let presumed = alive ? survival(until: cutoff) : actual
            if let days = actual.days, days > 0 { anyLaterSurvival = true }
            results[index] = Result(months: actual.months, days: actual.days, flag: actual.flag,
                                    presumedAliveMonths: presumed.months, presumedAliveDays: presumed.days,
                                    presumedAliveFlag: presumed.flag, diagnosisDay: dx)
        }
        return results
    }

    static func day(of date: PartialDate) -> Int? {
        guard let y = date.year, let m = date.month, let d = date.day else { return nil }
        return CalendarDate(year: y, month: m, day: d)?.daysSinceEpoch
    }

    /// A complete date as is; otherwise the midpoint of the earliest and latest days it can be, bounded by the
    /// previous event (when in the same month or year) and the next complete one.
    static func impute(_ date: PartialDate, previous: Int?, next: Int?, isBirth: Bool) -> Int? {
        guard let year = date.year else { return nil }
        if let exact = day(of: date) { return exact }
        var earliest: Int, latest: Int
        if let month = date.month {
            earliest = CalendarDate(year: year, month: month, day: 1)!.daysSinceEpoch
            latest = CalendarDate(year: year, month: month, day: CalendarDate.daysInMonth(year: year, month: month))!.daysSinceEpoch
        } else {
            earliest = CalendarDate(year: year, month: 1, day: 1)!.daysSinceEpoch
            latest = CalendarDate(year: year, month: 12, day: 31)!.daysSinceEpoch
        }
        if !isBirth, let previous, previous > earliest, previous <= latest { earliest = previous }
        if let next, next < latest, next >= earliest { latest = next }
        return earliest + (latest - earliest) / 2
    }
}
