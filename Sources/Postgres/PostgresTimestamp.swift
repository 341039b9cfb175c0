import Foundation

/// Conversion between `Date` and PostgreSQL's ISO timestamp text, in UTC, with microseconds.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let micros = Int64(totalMicros)
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        let civil = CalendarDate(daysSinceEpoch: Int(days))
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(civil) \(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2)).\(pad(fraction, 6))+00"
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]` (the server's output with DateStyle ISO).
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, let date = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                v = v * 10 + Int(bytes[i] - 48)
            }
            return v
        }
        guard let h = number(11..<13), let m = number(14..<16), let s = number(17..<19) else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = number(index + 1..<index + 3) else { return nil }
            var om = 0
            if index + 5 < bytes.count + 1, index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":") {
                om = number(index + 4..<index + 6) ?? 0
            }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        let seconds = Double(date.daysSinceEpoch * 86_400 + h * 3600 + m * 60 + s - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }
}
