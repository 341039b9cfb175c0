import Foundation
@testable import Survival
import Testing

/// The two life-table conventions: a year of age is 365.241 days (relsurv) or 365.25 days (R's survexp.us); over one
/// such year of constant rates the expected survival is exactly 1 − qx, and the cut points fall where the
/// convention puts them.
@Suite("Life-table conventions")
struct LifeTableConventionTests {
    let flat = PopulationLifeTable(firstYear: 2000, lastYear: 2030, maxAge: 110) { _, _, _ in 0.02 }

    @Test func oneYearOfEachConventionIsOneMinusQx() {
        for convention in LifeTableConvention.allCases {
            let table = flat.using(convention)
            let survival = table.expectedSurvival(ageDays: 40 * convention.daysPerYear, sex: .female, date: 11_000, days: convention.daysPerYear)
            #expect(abs(survival - 0.98) < 1e-12, "\(convention)")
        }
    }

    @Test func agesAreCutWhereTheConventionSays() {
        // Rates rising with age: a person 1 day short of 41 under survexp is still 40 under it, already 41 under relsurv.
        let rising = PopulationLifeTable(firstYear: 2000, lastYear: 2030, maxAge: 110) { _, _, age in age >= 41 ? 0.5 : 0.01 }
        let age = 41 * 365.25 - 0.005  // past 41 × 365.241, before 41 × 365.25
        let step = 0.001
        let relsurv = rising.using(.relsurv).expectedSurvival(ageDays: age, sex: .male, date: 11_000, days: step)
        let survexp = rising.using(.survexp).expectedSurvival(ageDays: age, sex: .male, date: 11_000, days: step)
        #expect(abs(relsurv - Foundation.exp(step * Foundation.log(0.5) / 365.241)) < 1e-15)
        #expect(abs(survexp - Foundation.exp(step * Foundation.log(0.99) / 365.25)) < 1e-15)
    }
}
