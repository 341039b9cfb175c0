import CivilCalendar

/// A NAACCR date value as the edits compare it: year, and month and day when known (CCYY, CCYYMM, CCYYMMDD).
public struct EditDate: Comparable, Sendable {
    public let year: Int
    public let month: Int?
    public let day: Int?

    /// nil unless the text is a possible date of one of the three forms (month 01-12, a day the month has).
    public init?(_ text: String?) {
        guard let text else { return nil }
        // Digits read straight from the UTF-8 view (no array: a few dozen dates are read per tumor).
        var value = 0, count = 0
        for byte in text.utf8 {
            guard byte >= 48, byte <= 57, count < 8 else { return nil }
            value = value * 10 + Int(byte - 48)
            count += 1
        }
        switch count {
        case 8: (year, month, day) = (value / 10_000, value / 100 % 100, value % 100)
        case 6: (year, month, day) = (value / 100, value % 100, nil)
        case 4: (year, month, day) = (value, nil, nil)
        default: return nil
        }
        if let month, !(1...12).contains(month) { return nil }
        if let month, let day, !(1...CalendarDate.daysInMonth(year: year, month: month)).contains(day) { return nil }
    }

    /// Ordered at the precision both dates know (2019 vs 20190315 compare on the year alone): nil means "cannot tell".
    static func compare(_ a: EditDate, _ b: EditDate) -> Int? {
        if a.year != b.year { return a.year < b.year ? -1 : 1 }
        guard let am = a.month, let bm = b.month else { return nil }
        if am != bm { return am < bm ? -1 : 1 }
        guard let ad = a.day, let bd = b.day else { return nil }
        return ad == bd ? 0 : ad < bd ? -1 : 1
    }

    public static func < (a: EditDate, b: EditDate) -> Bool { compare(a, b) == -1 }
}

/// A code set written as "1,2,5-7,9" or "00-59,98" (ranges expand with the width of their bounds).
func codes(_ spec: String) -> Set<String> {
    var out = Set<String>()
    for part in spec.split(separator: ",") {
        let bounds = part.split(separator: "-")
        if bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]) {
            let width = bounds[0].count
            for v in low...high {
                let s = String(v)
                out.insert(String(repeating: "0", count: max(0, width - s.count)) + s)
            }
        } else {
            out.insert(String(part))
        }
    }
    return out
}

/// Whether `value` is all digits and has `count` of them.
func isDigits(_ value: String, count: Int) -> Bool {
    value.utf8.count == count && value.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
}

/// 4-digit histology as an integer, when it is one.
func histologyNumber(_ value: String?) -> Int? {
    guard let value, isDigits(value, count: 4) else { return nil }
    return Int(value)
}

/// US state and territory postal codes, Canadian provinces, and the NAACCR special codes for "state" items.
let stateCodes: Set<String> = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME",
    "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
    "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "UM", "VI", "FM", "MH", "PW",
    "AA", "AE", "AP", "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT", "CD", "US", "XX", "YY", "ZZ",
]

/// Code sets the inter-field edits test membership in, built once.
enum CodeSets {
    static let confirmation = codes("1-9")
    static let laterality = codes("0-5,9")
    static let stage2018 = codes("0-4,7-9")
    static let surgery = codes("00,10-80,90,98,99")
    static let radiation = codes("0-5,7,9")
}
