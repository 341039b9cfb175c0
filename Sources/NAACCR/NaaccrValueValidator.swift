/// Checks one value against its item definition (NAACCR XML specification data types; dates also
/// checked against the calendar, so 20230231 and month 13 fail while CCYY and CCYYMM pass).
public enum NaaccrValueValidator {
    /// The problem with `value`, or nil if it is valid for `item`.
    public static func check(_ value: String, for item: NaaccrItem) -> (kind: NaaccrIssue.Kind, detail: String)? {
        check(value, for: item.rule)
    }

    /// The problem with `value`, or nil if it is valid for the item whose rule this is.
    public static func check(_ value: String, for item: NaaccrValueRule) -> (kind: NaaccrIssue.Kind, detail: String)? {
        var contiguous = value
        return contiguous.withUTF8 { check(utf8: $0, for: item) }
    }

    /// The same check on the value's UTF-8 bytes (the reader checks values in its buffer, before building them).
    static func check(utf8: UnsafeBufferPointer<UInt8>, for item: NaaccrValueRule) -> (kind: NaaccrIssue.Kind, detail: String)? {
        var isASCII = true
        for byte in utf8 where byte >= 0x80 { isASCII = false; break }
        let length = isASCII ? utf8.count : String(decoding: utf8, as: UTF8.self).count
        if length > item.length && !item.allowUnlimitedText {
            return (.valueTooLong, "\(length) characters, at most \(item.length)")
        }
        switch item.dataType {
        case .text:
            return nil
        case .digits, .alpha, .mixed:
            if length < item.length { return (.valueTooShort, "\(length) characters, exactly \(item.length) required") }
            let ok: (UInt8) -> Bool
            switch item.dataType {
            case .digits: ok = { $0 >= 48 && $0 <= 57 }
            case .alpha: ok = { $0 >= 65 && $0 <= 90 }
            default: ok = { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) }
            }
            if !utf8.allSatisfy(ok) {
                let what = item.dataType == .digits ? "digits 0-9" : item.dataType == .alpha ? "capital letters A-Z" : "A-Z and 0-9"
                return (.invalidCharacters, "\(item.dataType.rawValue): only \(what)")
            }
            return nil
        case .numeric:
            var seenDot = false, digitsBefore = 0, digitsAfter = 0
            for byte in utf8 {
                if byte == 46 && !seenDot { seenDot = true; continue }
                guard byte >= 48 && byte <= 57 else { return (.invalidCharacters, "numeric: digits with an optional decimal part") }
                if seenDot { digitsAfter += 1 } else { digitsBefore += 1 }
            }
            if digitsBefore == 0 || (seenDot && digitsAfter == 0) {
                return (.invalidCharacters, "numeric: digits with an optional decimal part")
            }
            return nil
        case .date:
            return checkDate(utf8)
        case .dateTime:
            return checkDateTime(String(decoding: utf8, as: UTF8.self))
        }
    }

    private static func checkDate(_ utf8: UnsafeBufferPointer<UInt8>) -> (kind: NaaccrIssue.Kind, detail: String)? {
        guard utf8.count == 4 || utf8.count == 6 || utf8.count == 8, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return (.invalidCharacters, "date: CCYY, CCYYMM or CCYYMMDD")
        }
        func digit(_ i: Int) -> Int { Int(utf8[i]) - 48 }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        guard (1800...2099).contains(year) else { return (.impossibleDate, "year \(year) outside 1800-2099") }
        guard utf8.count >= 6 else { return nil }
        let month = digit(4) * 10 + digit(5)
        guard (1...12).contains(month) else { return (.impossibleDate, "month \(month)") }
        guard utf8.count == 8 else { return nil }
        let day = digit(6) * 10 + digit(7)
        let days = month == 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].contains(month) ? 30 : 31
        guard (1...days).contains(day) else { return (.impossibleDate, "day \(day) of month \(month)") }
        return nil
    }

    private static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// ISO 8601: CCYY-MM-DD, optionally followed by Thh:mm[:ss[.fff]] and a zone (Z or ±hh:mm).
    private static func checkDateTime(_ value: String) -> (kind: NaaccrIssue.Kind, detail: String)? {
        let b = Array(value.utf8)
        func digit(_ i: Int) -> Bool { i < b.count && b[i] >= 48 && b[i] <= 57 }
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy(digit) }
        let bad: (kind: NaaccrIssue.Kind, detail: String) = (.invalidCharacters, "dateTime: ISO 8601, e.g. 2024-03-05T14:30:00-05:00")
        guard b.count >= 10, digits(0..<4), b[4] == 45, digits(5..<7), b[7] == 45, digits(8..<10) else { return bad }
        var i = 10
        if i == b.count { return nil }
        guard b[i] == 84, i + 6 <= b.count, digits(i + 1..<i + 3), b[i + 3] == 58, digits(i + 4..<i + 6) else { return bad }
        i += 6
        if i < b.count, b[i] == 58 {
            guard digits(i + 1..<i + 3) else { return bad }
            i += 3
            if i < b.count, b[i] == 46 {
                i += 1
                guard digit(i) else { return bad }
                while digit(i) { i += 1 }
            }
        }
        if i == b.count { return nil }
        if b[i] == 90 { return i + 1 == b.count ? nil : bad }
        guard b[i] == 43 || b[i] == 45, i + 6 == b.count, digits(i + 1..<i + 3), b[i + 3] == 58, digits(i + 4..<i + 6) else { return bad }
        return nil
    }
}
