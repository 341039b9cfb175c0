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
