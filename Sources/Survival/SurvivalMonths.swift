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

/// The SEER survival-time algorithm ("SEER Survival Time in Months" v2.2, https://seer.cancer.gov/survivaltime/, as the
/// reference implementation computes SEER*Stat's data): survival months and flags for each of a patient's tumors.
///
/// 1. The patient's records must agree on date of last contact and vital status; otherwise every tumor is unknown (9).
///    A last contact before 1900, after `today` (a later month of this year, or a later day of this month) is unknown.
/// 2. A tumor whose diagnosis year is unknown, before 1900 or after the end-point year is unknown (9); an impossible day
///    makes the day unknown, an impossible month the month and day.
/// 3. The dated tumors are ordered by diagnosis date, then Sequence Number--Central (60-97 after 00-59); dates with
///    unknown parts are placed after the known ones they cannot precede.
/// 4. Unknown days, then unknown months, are imputed in that order, last contact taken as the last event: the midpoint
///    between the earliest possible day (the previous event in the same month or year, the birth date for the first,
///    else the 1st / 1 January) and the latest (the next event in the same month or year, else the month's end /
///    31 December).
/// 5. Last contact after the end-point year becomes 31 December of it; presumed alive, a living patient's last contact is
///    31 December of the end-point year (an unknown last contact is then allowed).
/// 6. Months = floor(days / (365.24 / 12)); negative is unknown. Flags: 0/1 complete dates with zero/some days; 2 a date
///    incomplete and zero survival possible (same year, and the same or an unknown month); 3 incomplete with some
///    survival, and a 2 becomes 3 when a later tumor has survival; 8 death certificate or autopsy only (Type of Reporting
///    Source 6, 7); 9 unknown.
public enum SEERSurvivalTime {
    public struct Tumor: Sendable {
        public var diagnosis: PartialDate
        public var sequenceNumber: String
        /// NAACCR Type of Reporting Source: 6 autopsy only, 7 death certificate only.
        public var reportingSource: String
        /// This record's date of last contact and vital status (records of one patient may disagree).
        public var lastContact: PartialDate?
        public var vitalStatus: String?

        public init(diagnosis: PartialDate, sequenceNumber: String = "00", reportingSource: String = "1",
                    lastContact: PartialDate? = nil, vitalStatus: String? = nil) {
            self.diagnosis = diagnosis
            self.sequenceNumber = sequenceNumber
            self.reportingSource = reportingSource
            self.lastContact = lastContact
            self.vitalStatus = vitalStatus
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
        /// The last contact used (imputed, cut at the end point), days since 1970-01-01; and presumed alive.
        public var lastContactDay: Int?
        public var presumedAliveLastContactDay: Int?
    }

    /// One result per tumor, in the order given, for a patient whose records share one last contact and vital status.
    public static func compute(birth: PartialDate, lastContact: PartialDate, vitalStatus: String, tumors: [Tumor],
                               endPointYear: Int, today: CalendarDate) -> [Result] {
        compute(birth: birth, tumors: tumors.map { t in
            var t = t
            t.lastContact = lastContact
            t.vitalStatus = vitalStatus
            return t
        }, endPointYear: endPointYear, today: today)
    }

    static let unknownResult = Result(months: nil, days: nil, flag: .unknown, presumedAliveMonths: nil, presumedAliveDays: nil,
                                      presumedAliveFlag: .unknown, diagnosisDay: nil, lastContactDay: nil, presumedAliveLastContactDay: nil)

    /// One result per tumor, in the order given; each tumor carries its record's last contact and vital status.
    public static func compute(birth: PartialDate, tumors: [Tumor], endPointYear: Int, today: CalendarDate) -> [Result] {
        guard let first = tumors.first else { return [] }
        // 1. One last contact and one vital status for the patient.
        guard tumors.allSatisfy({ $0.lastContact == first.lastContact && $0.vitalStatus == first.vitalStatus }) else {
            return Array(repeating: unknownResult, count: tumors.count)
        }
        let contact = first.lastContact ?? PartialDate(year: nil)
        var dolc = Parts(contact)
        let vitalStatus = Int(first.vitalStatus ?? "") ?? 9
        let dolcValid = Parts.isDate(dolc.year, dolc.month, dolc.day)
        if dolc.year < 1900 || dolc.year > today.year
            || (dolc.year == today.year && ((dolc.month <= 12 && dolc.month > today.month) || (dolc.month == today.month && dolcValid && dolc.day > today.day))) {
            dolc.year = 9999
        }
        if dolc.year == 9999 { dolc.month = 99; dolc.day = 99 }
        var birthParts = Parts(birth)

        // 2. Tumors that can be dated.
        var records: [Event] = []
        var results = Array(repeating: unknownResult, count: tumors.count)
        for (index, tumor) in tumors.enumerated() {
            var event = Event(index: index, parts: Parts(tumor.diagnosis), sequence: tumor.sequenceNumber)
            guard event.parts.year != 9999, event.parts.year >= 1900, event.parts.year <= endPointYear else { continue }
            event.parts.normalize()
            event.safe = event.parts
            records.append(event)
        }
        // 3. In diagnosis order.
        records = order(records)
        birthParts.normalizeBirth()
        // Without presuming alive (needs a known last contact), then presuming alive (a living patient needs none).
        let plain = dolc.year != 9999 ? run(records, dolc: dolc, birth: birthParts, vitalStatus: vitalStatus, endYear: endPointYear, presumeAlive: false) : nil
        let presumed = dolc.year != 9999 || vitalStatus == 1
            ? run(records, dolc: dolc, birth: birthParts, vitalStatus: vitalStatus, endYear: endPointYear, presumeAlive: true) : nil
        if (dolc.year != 9999 && plain == nil) || ((dolc.year != 9999 || vitalStatus == 1) && presumed == nil) {
            return Array(repeating: unknownResult, count: tumors.count)  // an impossible date on the way: the safety net
        }
        for (position, event) in records.enumerated() {
            var result = unknownResult
            if let plain {
                result.months = plain.months[position]; result.days = plain.days[position]; result.flag = plain.flags[position]
                result.diagnosisDay = plain.diagnosisDays[position]; result.lastContactDay = plain.lastContactDay
            }
            if let presumed {
                result.presumedAliveMonths = presumed.months[position]; result.presumedAliveDays = presumed.days[position]
                result.presumedAliveFlag = presumed.flags[position]; result.diagnosisDay = presumed.diagnosisDays[position]
                result.presumedAliveLastContactDay = presumed.lastContactDay
            }
            if ["6", "7"].contains(tumors[event.index].reportingSource) {
                result.months = nil; result.days = nil; result.flag = .deathCertificateOrAutopsyOnly
                result.presumedAliveMonths = nil; result.presumedAliveDays = nil; result.presumedAliveFlag = .deathCertificateOrAutopsyOnly
            }
            results[event.index] = result
        }
        return results
    }

    /// A date as year, month and day with 9999/99 for unknown parts (the algorithm's own terms).
    struct Parts: Equatable {
        var year: Int, month: Int, day: Int

        init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

        init(_ date: PartialDate) {
            year = date.year ?? 9999
            month = date.month ?? 99
            day = date.month == nil ? 99 : date.day ?? 99
        }

        static func isDate(_ year: Int, _ month: Int, _ day: Int) -> Bool {
            (1...12).contains(month) && day >= 1 && day <= CalendarDate.daysInMonth(year: year, month: month)
        }

        /// An impossible day is unknown; an impossible month makes month and day unknown.
        mutating func normalize() {
            guard !Self.isDate(year, month == 99 ? 1 : month, day == 99 ? 1 : day) else { return }
            if (1...12).contains(month) { day = 99 } else { month = 99; day = 99 }
        }

        mutating func normalizeBirth() {
            if year == 9999 { month = 99; day = 99 }
            if month == 99 { day = 99 }
            normalize()
        }

        var dayNumber: Int? { CalendarDate(year: year, month: month, day: day)?.daysSinceEpoch }
    }

    /// A tumor (or, during imputation, the last contact) as the algorithm works on it: the date as recorded (`parts`)
    /// and as imputed (`safe`), and its sequence number for ordering (60-97 placed after the federal 00-59, 98, 99).
    struct Event {
        let index: Int
        var parts: Parts
        var safe: Parts
        let sequence: Int

        init(index: Int, parts: Parts, sequence: String) {
            self.index = index
            self.parts = parts
            safe = parts
            var n = sequence.allSatisfy(\.isNumber) && !sequence.isEmpty ? Int(sequence) ?? -1 : -1
            if (60...97).contains(n) { n += 100 }
            self.sequence = n
        }

        /// Diagnosis order: year, month, day as far as both are known, then sequence number.
        func precedes(_ other: Event) -> Bool { compare(other, dateOnly: false) < 0 }

        func compare(_ other: Event, dateOnly: Bool) -> Int {
            let a = parts, b = other.parts
            let bySequence = dateOnly ? 0 : sequence - other.sequence
            if a.year == 9999 || b.year == 9999 { return bySequence }
            if a.year != b.year { return a.year - b.year }
            if a.month == 99 || b.month == 99 { return bySequence }
            if a.month != b.month { return a.month - b.month }
            if a.day == 99 || b.day == 99 || a.day == b.day { return bySequence }
            return a.day - b.day
        }
    }

    /// Complete dates in order first; then the dates missing a day, a month, a year, each placed after the last event
    /// it cannot precede (so that the order stays consistent when unknown parts make dates incomparable).
    static func order(_ events: [Event]) -> [Event] {
        var complete: [Event] = [], noDay: [Event] = [], noMonth: [Event] = [], noYear: [Event] = []
        for e in events {
            if e.parts.year == 9999 { noYear.append(e) } else if e.parts.month == 99 { noMonth.append(e) }
            else if e.parts.day == 99 { noDay.append(e) } else { complete.append(e) }
        }
        var result = stableSorted(complete)
        for group in [noDay, noMonth, noYear] { place(stableSorted(group), into: &result) }
        return result
    }

    static func stableSorted(_ events: [Event]) -> [Event] {
        events.enumerated().sorted { x, y in
            let c = x.element.compare(y.element, dateOnly: false)
            return c != 0 ? c < 0 : x.offset < y.offset
        }.map(\.element)
    }

    static func place(_ group: [Event], into result: inout [Event]) {
        guard !result.isEmpty else { result.append(contentsOf: group); return }
        for r in group {
            var i = result.count - 1
            while i >= 0 {
                let c = r.compare(result[i], dateOnly: true)
                if c > 0 { result.insert(r, at: i + 1); break }
                if c == 0 {
                    if (r.sequence < 100 && r.sequence >= result[i].sequence) || (r.sequence > 100 && result[i].sequence > 100 && r.sequence >= result[i].sequence) {
                        result.insert(r, at: i + 1); break
                    }
                    if r.sequence > 100 {
                        let sameDate = result[0...i].filter { r.compare($0, dateOnly: true) == 0 }
                        if !conflicts(r.sequence, sameDate) { result.insert(r, at: i + 1); break }
                    }
                }
                if i == 0 { result.insert(r, at: 0) }
                i -= 1
            }
        }
    }

    /// Whether a non-federal sequence number should go before another non-federal one of the same date.
    static func conflicts(_ sequence: Int, _ sameDate: [Event]) -> Bool {
        guard sameDate.contains(where: { $0.sequence > 100 }) else { return false }
        for i in sameDate.indices { for j in sameDate.indices where j > i {
            if sameDate[i].sequence > 100 && sameDate[j].sequence > 100 && sameDate[i].sequence > sameDate[j].sequence { return false }
        } }
        if let last = sameDate.last(where: { $0.sequence > 100 }) { return sequence <= last.sequence }
        return false
    }

    struct Run {
        var months: [Int?], days: [Int?], flags: [Flag], diagnosisDays: [Int?]
        var lastContactDay: Int?
    }

    /// Steps 4-6 for the dated tumors in order: imputation, the end point, months and flags (nil: an impossible date).
    static func run(_ sorted: [Event], dolc recorded: Parts, birth: Parts, vitalStatus: Int, endYear: Int, presumeAlive: Bool) -> Run? {
        var dolc = recorded
        if !Parts.isDate(dolc.year == 9999 ? 1900 : dolc.year, dolc.month == 99 ? 1 : dolc.month, dolc.day == 99 ? 1 : dolc.day) {
            if (1...12).contains(dolc.month) { dolc.day = 99 } else { dolc.month = 99; dolc.day = 99 }
        }
        var events = sorted
        for i in events.indices { events[i].safe = events[i].parts }
        var last = Event(index: -1, parts: dolc, sequence: "")
        last.safe = dolc
        events.append(last)

        // Unknown days of known months.
        for i in events.indices where events[i].safe.month != 99 && events[i].safe.day == 99 {
            let e = events[i].safe
            var earliest = 0
            if i == 0 && birth.year == e.year && birth.month == e.month && birth.day != 99 { earliest = birth.day }
            for j in stride(from: i - 1, through: 0, by: -1) where events[j].safe.day != 99 {
                if events[j].safe.year == e.year && events[j].safe.month == e.month { earliest = events[j].safe.day }
                break
            }
            if earliest == 0 { earliest = 1 }
            var latest = 0
            for j in (i + 1)..<events.count where events[j].safe.day != 99 {
                if events[j].safe.year == e.year && events[j].safe.month == e.month { latest = events[j].safe.day }
                break
            }
            if latest == 0 { latest = CalendarDate.daysInMonth(year: e.year, month: e.month) }
            events[i].safe.day = Int((Double(earliest + latest) / 2).rounded(.down))
        }
        // Unknown months (and days).
        for i in events.indices where events[i].safe.month == 99 {
            let e = events[i].safe
            var (earlyMonth, earlyDay) = (0, 0)
            if i == 0 && birth.year == e.year && birth.month != 99 { (earlyMonth, earlyDay) = (birth.month, birth.day != 99 ? birth.day : 1) }
            for j in stride(from: i - 1, through: 0, by: -1) where events[j].safe.month != 99 {
                if events[j].safe.year == e.year { (earlyMonth, earlyDay) = (events[j].safe.month, events[j].safe.day) }
                break
            }
            if earlyMonth == 0 { (earlyMonth, earlyDay) = (1, 1) }
            var (lateMonth, lateDay) = (0, 0)
            for j in (i + 1)..<events.count where events[j].safe.month != 99 {
                if events[j].safe.year == e.year { (lateMonth, lateDay) = (events[j].safe.month, events[j].safe.day) }
                break
            }
            if lateMonth == 0 { (lateMonth, lateDay) = (12, 31) }
            guard let from = CalendarDate(year: e.year, month: earlyMonth, day: earlyDay),
                  let to = CalendarDate(year: e.year, month: lateMonth, day: lateDay) else { return nil }
            let span = to.daysSinceEpoch - from.daysSinceEpoch
            let middle = CalendarDate(daysSinceEpoch: from.daysSinceEpoch + Int((Double(span) / 2).rounded(.down)))
            events[i].safe.month = middle.month
            events[i].safe.day = middle.day
        }
        var end = events.removeLast()
        if recorded.year == 9999 { end.safe.month = 99; end.safe.day = 99 }
        let cutoff = Parts(year: endYear, month: 12, day: 31)
        if recorded.year != 9999 && recorded.year > endYear { end.safe = cutoff }
        var out = Run(months: [], days: [], flags: [], diagnosisDays: [], lastContactDay: nil)
        if presumeAlive && vitalStatus == 1 { end.safe = cutoff }
        guard let endDay = end.safe.dayNumber else { return nil }
        out.lastContactDay = endDay
        // The flags read the recorded parts, except that an end point taken as last contact is a complete date.
        if end.safe == cutoff { end.parts = cutoff }
        for e in events {
            guard let dx = e.safe.dayNumber else { return nil }
            let days = endDay - dx
            let months = Int((Double(days) / (365.24 / 12)).rounded(.down))
            let flag: Flag
            if months < 0 { flag = .unknown }
            else if e.parts.month == 99 || e.parts.day == 99 || end.parts.month == 99 || end.parts.day == 99 {
                let zeroPossible = e.parts.year == end.parts.year && (e.parts.month == end.parts.month || e.parts.month == 99 || end.parts.month == 99)
                flag = zeroPossible ? .incompleteZeroPossible : .incompleteSomeSurvival
            } else { flag = days > 0 ? .completeSomeDays : .completeZeroDays }
            out.months.append(months < 0 ? nil : months)
            out.days.append(months < 0 ? nil : days)
            out.flags.append(flag)
            out.diagnosisDays.append(dx)
        }
        // A zero-possible tumor followed by one with survival has survival too.
        var laterSurvival = false
        for i in out.flags.indices.reversed() {
            if out.flags[i] == .completeSomeDays || out.flags[i] == .incompleteSomeSurvival { laterSurvival = true }
            if out.flags[i] == .incompleteZeroPossible && laterSurvival { out.flags[i] = .incompleteSomeSurvival }
        }
        return out
    }
}
