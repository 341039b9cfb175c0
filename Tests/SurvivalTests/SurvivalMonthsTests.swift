import CivilCalendar
import Survival
import Testing

@Suite("SEER survival months and flags")
struct SurvivalMonthsTests {
    let today = CalendarDate(year: 2026, month: 11, day: 23)!
    let birth = PartialDate(naaccr: "19500101")

    func one(_ dx: String, _ lastContact: String, alive: Bool, source: String = "1", endPoint: Int = 2022) -> SEERSurvivalTime.Result {
        SEERSurvivalTime.compute(birth: birth, lastContact: PartialDate(naaccr: lastContact), vitalStatus: alive ? "1" : "0",
                                 tumors: [.init(diagnosis: PartialDate(naaccr: dx), reportingSource: source)],
                                 endPointYear: endPoint, today: today)[0]
    }

    func days(_ from: String, _ to: String) -> Int { CalendarDate(to)!.daysSinceEpoch - CalendarDate(from)!.daysSinceEpoch }

    @Test func completeDatesGiveFlagOneAndWholeMonths() {
        let r = one("20150310", "20200615", alive: false)
        #expect(r.days == days("20150310", "20200615"))
        #expect(r.months == Int(Double(days("20150310", "20200615")) / (365.24 / 12)))
        #expect(r.flag == .completeSomeDays)
        #expect(r.presumedAliveMonths == r.months)  // dead: presumed alive changes nothing
    }

    @Test func zeroDaysWithCompleteDatesIsFlagZero() {
        let r = one("20180704", "20180704", alive: false)
        #expect(r.days == 0 && r.months == 0 && r.flag == .completeZeroDays)
    }

    @Test func followUpStopsAtTheEndPointAndPresumedAliveRunsToIt() {
        let late = one("20150310", "20240101", alive: true, endPoint: 2022)
        #expect(late.days == days("20150310", "20221231"))
        let early = one("20150310", "20190101", alive: true, endPoint: 2022)
        #expect(early.days == days("20150310", "20190101"))
        #expect(early.presumedAliveDays == days("20150310", "20221231"))
    }

    @Test func unknownDayIsTheMiddleOfTheMonth() {
        let r = one("201503", "20200615", alive: false)
        #expect(r.diagnosisDay == CalendarDate(year: 2015, month: 3, day: 16)!.daysSinceEpoch)
        #expect(r.flag == .incompleteSomeSurvival)
    }

    @Test func unknownMonthIsTheMiddleOfTheYear() {
        let r = one("2015", "20200615", alive: false)
        #expect(r.diagnosisDay == CalendarDate(year: 2015, month: 7, day: 2)!.daysSinceEpoch)
        #expect(r.flag == .incompleteSomeSurvival)
    }

    @Test func unknownDayInTheMonthOfLastContactIsBoundedByItAndMayBeZero() {
        let r = one("202006", "20200610", alive: false)
        #expect(r.diagnosisDay == CalendarDate(year: 2020, month: 6, day: 5)!.daysSinceEpoch)  // between 1 and 10 June
        #expect(r.flag == .incompleteZeroPossible)
    }

    @Test func aLaterTumorWithSurvivalTurnsFlagTwoIntoThree() {
        let results = SEERSurvivalTime.compute(
            birth: birth, lastContact: PartialDate(naaccr: "20201215"), vitalStatus: "0",
            tumors: [.init(diagnosis: PartialDate(naaccr: "2020"), sequenceNumber: "01"),
                     .init(diagnosis: PartialDate(naaccr: "20201101"), sequenceNumber: "02")],
            endPointYear: 2022, today: today)
        #expect(results[1].flag == .completeSomeDays)
        #expect(results[0].flag == .incompleteSomeSurvival)
        // The first tumor's month is bounded by the second diagnosis (same year).
        #expect(results[0].diagnosisDay! <= CalendarDate(year: 2020, month: 11, day: 1)!.daysSinceEpoch)
    }

    @Test func deathCertificateAndAutopsyOnlyAreFlagEight() {
        for source in ["6", "7"] {
            let r = one("20190101", "20190101", alive: false, source: source)
            #expect(r.flag == .deathCertificateOrAutopsyOnly && r.months == nil)
        }
    }

    @Test func unknownDatesGiveFlagNine() {
        #expect(one("9999", "20200101", alive: false).flag == .unknown)   // no diagnosis year
        #expect(one("2024", "20250101", alive: false, endPoint: 2022).flag == .unknown)  // diagnosed after the end point
        let noContact = one("20150101", "", alive: true)
        #expect(noContact.flag == .unknown && noContact.months == nil)
        #expect(noContact.presumedAliveDays == days("20150101", "20221231"))  // alive: the end point is enough
        #expect(one("20200101", "20190101", alive: false).flag == .unknown)  // contact before diagnosis
        #expect(PartialDate(naaccr: "20150231").day == nil && PartialDate(naaccr: "20151399").month == nil)
    }
}

/// The published test cases of the reference implementation of "SEER Survival Time in Months" (imsweb algorithms,
/// SurvivalTimeUtilsTest): their inputs and their expected months, flags and imputed dates, end point 2010 unless noted.
@Suite("SEER survival months: the reference implementation's published cases")
struct SurvivalMonthsReferenceTests {
    let today = CalendarDate(year: 2026, month: 11, day: 24)!

    /// (dx y, m, d, last contact y, m, d, birth y, m, d, sequence, vital status, reporting source); 99 / 9999 unknown.
    typealias Record = (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)

    func date(_ y: Int, _ m: Int, _ d: Int) -> PartialDate {
        PartialDate(naaccr: String(format: "%04d%02d%02d", y, m, d))
    }

    func compute(_ records: [Record], endPoint: Int = 2010) -> [SEERSurvivalTime.Result] {
        let birth = records.first.map { date($0.6, $0.7, $0.8) } ?? PartialDate(year: nil)
        return SEERSurvivalTime.compute(birth: birth, tumors: records.map { r in
            .init(diagnosis: date(r.0, r.1, r.2), sequenceNumber: String(format: "%02d", r.9), reportingSource: String(r.11),
                  lastContact: date(r.3, r.4, r.5), vitalStatus: String(r.10))
        }, endPointYear: endPoint, today: today)
    }

    /// months, flag, presumed-alive months, presumed-alive flag (9999 unknown).
    func expect(_ r: SEERSurvivalTime.Result, _ months: Int, _ flag: Int, _ pa: Int, _ paFlag: Int, dx: (Int, Int, Int)? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((r.months ?? 9999) == months && r.flag.rawValue == flag, "months/flag", sourceLocation: sourceLocation)
        #expect((r.presumedAliveMonths ?? 9999) == pa && r.presumedAliveFlag.rawValue == paFlag, "presumed alive", sourceLocation: sourceLocation)
        if let dx { #expect(r.diagnosisDay == CalendarDate(year: dx.0, month: dx.1, day: dx.2)!.daysSinceEpoch, "imputed diagnosis", sourceLocation: sourceLocation) }
    }

    @Test func recordsThatDisagreeOnLastContactOrVitalStatusAreUnknown() {
        for r in compute([(2008, 1, 1, 2010, 10, 11, 1956, 3, 4, 1, 4, 1), (2010, 1, 2, 2010, 10, 11, 1956, 3, 4, 2, 4, 1),
                          (2010, 3, 1, 2010, 10, 21, 1956, 3, 4, 3, 4, 1), (2010, 11, 11, 2010, 10, 11, 1956, 3, 4, 4, 4, 1)]) {
            expect(r, 9999, 9, 9999, 9)
        }
        for r in compute([(2008, 1, 1, 2010, 10, 11, 1956, 3, 4, 1, 1, 1), (2010, 1, 2, 2010, 10, 11, 1956, 3, 4, 2, 4, 1)]) {
            expect(r, 9999, 9, 9999, 9)
        }
    }

    @Test func aLastContactInTheFutureIsUnknownAndPresumedAliveStillRuns() {
        expect(compute([(2010, 9, 15, today.year + 1, 1, 1, 9999, 99, 99, 1, 4, 1)])[0], 9999, 9, 9999, 9)
        let tomorrow = CalendarDate(daysSinceEpoch: today.daysSinceEpoch + 1)
        expect(compute([(2010, 9, 15, tomorrow.year, tomorrow.month, tomorrow.day, 9999, 99, 99, -1, 1, 1)])[0], 9999, 9, 3, 1)
        expect(compute([(2011, 9, 15, 2010, 99, 99, 9999, 99, 99, 1, 1, 1)])[0], 9999, 9, 9999, 9)  // diagnosed after the end point
    }

    @Test func partialDatesAreImputedFromTheirNeighboursAndTheBirthDate() {
        let r = compute([(2009, 9, 1, 2009, 11, 99, 2008, 3, 4, 1, 1, 1), (2008, 99, 99, 2009, 11, 99, 2008, 3, 4, 2, 1, 1),
                         (2008, 3, 99, 2009, 11, 99, 2008, 3, 4, 3, 1, 1), (9999, 99, 99, 2009, 11, 99, 2008, 3, 4, 4, 1, 1),
                         (2009, 99, 23, 2009, 11, 99, 2008, 3, 4, 5, 1, 1), (2008, 4, 5, 2009, 11, 99, 2008, 3, 4, 6, 1, 1),
                         (2009, 11, 99, 2009, 11, 99, 2008, 3, 4, 7, 1, 1)])
        expect(r[0], 2, 3, 15, 1, dx: (2009, 9, 1))
        expect(r[1], 20, 3, 33, 3, dx: (2008, 3, 10))
        expect(r[2], 20, 3, 33, 3, dx: (2008, 3, 16))
        expect(r[3], 9999, 9, 9999, 9)
        expect(r[4], 1, 2, 14, 3, dx: (2009, 10, 8))
        expect(r[5], 19, 3, 32, 1, dx: (2008, 4, 5))
        expect(r[6], 0, 2, 13, 3, dx: (2009, 11, 15))
        #expect(r[0].lastContactDay == CalendarDate(year: 2009, month: 11, day: 22)!.daysSinceEpoch)
    }

    @Test func completeDatesGiveFlagsZeroAndOne() {
        let r = compute([(2009, 11, 10, 2009, 11, 11, 2008, 3, 4, 1, 1, 1), (2009, 11, 11, 2009, 11, 11, 2008, 3, 4, 2, 1, 1)])
        expect(r[0], 0, 1, 13, 1)
        expect(r[1], 0, 0, 13, 1)
        expect(compute([(2010, 3, 14, 2010, 3, 14, 2008, 3, 4, 1, 1, 1)])[0], 0, 0, 9, 1)
    }

    @Test func deathCertificateAndAutopsyOnlyAreFlagEightAndStillBoundTheOthers() {
        let r = compute([(2008, 99, 99, 2010, 99, 99, 2008, 3, 4, 1, 0, 1), (2010, 99, 99, 2010, 99, 99, 2008, 3, 4, 2, 0, 6),
                         (2010, 3, 99, 2010, 99, 99, 2008, 3, 4, 3, 0, 7), (2010, 99, 99, 2010, 99, 99, 2008, 3, 4, 4, 0, 1)])
        expect(r[0], 26, 3, 26, 3, dx: (2008, 8, 2))
        expect(r[1], 9999, 8, 9999, 8, dx: (2010, 2, 7))
        expect(r[2], 9999, 8, 9999, 8, dx: (2010, 3, 16))
        expect(r[3], 2, 2, 2, 2, dx: (2010, 8, 8))
        #expect(r[0].lastContactDay == CalendarDate(year: 2010, month: 10, day: 19)!.daysSinceEpoch)
    }

    @Test func nonFederalSequenceNumbersAreOrderedByTheirDates() {
        let r = compute([(2015, 3, 5, 2015, 4, 27, 1937, 1, 99, 1, 0, 1), (2015, 99, 99, 2015, 4, 27, 1937, 1, 99, 2, 0, 1),
                         (2015, 2, 23, 2015, 4, 27, 1937, 1, 99, 60, 0, 1)], endPoint: 2016)
        expect(r[0], 1, 1, 1, 1, dx: (2015, 3, 5))
        expect(r[1], 0, 2, 0, 2, dx: (2015, 3, 31))
        expect(r[2], 2, 1, 2, 1, dx: (2015, 2, 23))
        for x in compute([(2017, 11, 14, 2018, 7, 13, 1956, 3, 4, 0, 1, 1), (2017, 1, 11, 2018, 7, 13, 1956, 3, 4, 60, 1, 1)]) {
            expect(x, 9999, 9, 9999, 9)
        }
    }
}
