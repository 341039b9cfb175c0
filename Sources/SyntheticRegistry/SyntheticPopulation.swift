import Foundation

/// Population estimates for the synthetic registry's counties (no real data): sized so that its tumors give rates of
/// the order U.S. registries see (about 450 per 100,000 a year), with an age structure close to the 2000 U.S.
/// standard, slightly older each year, and the counties, sexes and races in fixed shares.
public struct SyntheticPopulation: Sendable {
    public struct Row: Sendable, Equatable {
        public let year: Int
        public let county: String
        /// 1 male, 2 female.
        public let sex: String
        /// The SEER 19 age groups, 0 (<1) to 18 (85+).
        public let ageGroup: Int
        /// SEER population race: 1 white, 2 black, 3 American Indian/Alaska Native, 4 Asian/Pacific Islander.
        public let race: String
        public let population: Int
    }

    public let rows: [Row]

    public init(for generator: SyntheticRegistryGenerator) {
        let years = generator.firstDiagnosisYear...generator.lastDiagnosisYear
        let perYear = Double(generator.patientCount) * 1.05 / Double(years.count) / 0.0045
        // Per-million shares of the 19 age groups (about the 2000 U.S. standard).
        let ages: [Double] = [13818, 55317, 72533, 73032, 72169, 66478, 64529, 71044, 80762, 81851, 72118, 62716, 48454, 38793,
                              34264, 31773, 26999, 17842, 15508].map { $0 / 1_000_000 }
        let races: [(String, Double)] = [("1", 0.74), ("2", 0.14), ("3", 0.02), ("4", 0.10)]
        let counties = SyntheticRegistryGenerator.Iterator.counties
        var rows: [Row] = []
        rows.reserveCapacity(years.count * counties.count * 2 * 19 * 4)
        for year in years {
            let ageing = 1 + 0.01 * Double(year - years.lowerBound)
            for (c, county) in counties.enumerated() {
                let countyShare = (1 + 0.15 * Double(c % 5)) / counties.indices.reduce(0) { $0 + (1 + 0.15 * Double($1 % 5)) }
                for (sex, sexShare) in [("1", 0.49), ("2", 0.51)] {
                    for (g, ageShare) in ages.enumerated() {
                        let older = g >= 13 ? ageing : 1
                        for (race, raceShare) in races {
                            let n = perYear * countyShare * sexShare * ageShare * older * raceShare
                            rows.append(Row(year: year, county: county, sex: sex, ageGroup: g, race: race, population: Int(n.rounded())))
                        }
                    }
                }
            }
        }
        self.rows = rows
    }
}
