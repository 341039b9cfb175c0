import Coding
import Foundation
import Testing

@Suite("US county FIPS codes by state and year")
struct CountyTests {
    /// Counties and equivalents of the 50 states and DC valid in a year, a code changed during the year counted once
    /// (the new one): the Census Bureau's published counts are 3,141 (2000), 3,143 (2010) and 3,143 (2020).
    static func countyCount(in year: Int) -> Int {
        let territories: Set<String> = ["AS", "GU", "MP", "PR", "UM", "VI"]
        return USCounties.byState.filter { !territories.contains($0.key) }.values.joined().filter { county in
            (county.firstYear.map { year >= $0 } ?? true) && (county.lastYear.map { year < $0 } ?? true)
                && !(county.state == "CT" && (county.firstYear ?? 0) >= 2022)
        }.count
    }

    @Test func theCountsOfCountiesAreTheCensusBureausForItsYears() {
        #expect(Self.countyCount(in: 2000) == 3141)
        #expect(Self.countyCount(in: 2010) == 3143)
        #expect(Self.countyCount(in: 2020) == 3143)
        #expect(USCounties.counties(of: "PR")?.count == 78)
        #expect(USCounties.counties(of: "ON") == nil && USCounties.counties(of: "XX") == nil)
    }

    @Test func marylandIsTheNAACCRCountyCodeListWhenPresent() throws {
        // The NAACCR county code list in ../shared is Maryland's (FIPS codes with 998/999): an independent source.
        guard let rows = CodingTests.referenceRows("naaccr/lookups/countyAtDx.csv") else { return }
        let published = Set(rows.map(\.0)).subtracting(["998", "999"])
        let ours = Set(try #require(USCounties.counties(of: "MD")).map(\.code))
        #expect(ours == published)
        for (code, label) in rows where code != "998" && code != "999" {
            let name = try #require(USCounties.county(state: "MD", code: code)).name.uppercased()
            #expect(name.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "'", with: "")
                .hasPrefix(label.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "'", with: "")), "\(code) \(label) \(name)")
        }
    }

    @Test func changedCountiesAreValidInTheirYearsOnly() throws {
        let valdez = try #require(USCounties.county(state: "AK", code: "261"))
        #expect(valdez.isValid(in: 2018) && valdez.isValid(in: 2019) && !valdez.isValid(in: 2020) && valdez.isValid(in: nil))
        let chugach = try #require(USCounties.county(state: "AK", code: "063"))
        #expect(!chugach.isValid(in: 2018) && chugach.isValid(in: 2019) && chugach.years == "2019 and later")
        let capitol = try #require(USCounties.county(state: "CT", code: "110"))
        #expect(!capitol.isValid(in: 2021) && capitol.isValid(in: 2022))
        #expect(try #require(USCounties.county(state: "CT", code: "003")).isValid(in: 2024))
        #expect(!(try #require(USCounties.county(state: "SD", code: "113")).isValid(in: 2016)))
        #expect(try #require(USCounties.county(state: "SD", code: "102")).isValid(in: 2016))
        #expect(!(try #require(USCounties.county(state: "VA", code: "515")).isValid(in: 2014)))
        #expect(USCounties.county(state: "KS", code: "002") == nil)
        #expect(USCounties.label(state: "KS", code: "173") == "Sedgwick County")
        #expect(USCounties.label(state: "AK", code: "261") == "Valdez-Cordova Census Area (until 2019)")
        #expect(USCounties.label(state: nil, code: "999") == "County unknown")
    }
}
