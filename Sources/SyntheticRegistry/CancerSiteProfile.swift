/// How one cancer site looks in the synthetic registry: ICD-O-3 topography codes, morphologies that
/// are valid for it, who gets it, how it is staged and how fast it kills. Weights follow the rough
/// shape of US incidence (SEER); the numbers are illustrative, not statistics.
struct CancerSiteProfile: Sendable {
    var name: String
    var weight: Double
    /// Topography codes (ICD-O-3, no decimal point) with weights.
    var sites: [(String, Double)]
    /// Histology codes (ICD-O-3 morphology, behavior 3) valid for these sites, with weights.
    var histologies: [(String, Double)]
    /// Sex assigned at birth: nil for both, "1" male only, "2" female only.
    var sex: String?
    var meanAge: Double
    /// Summary Stage 2018 distribution: 1 localized, 2/3/4 regional, 7 distant, 9 unknown.
    var stages: [(String, Double)]
    /// Yearly death hazard by stage (localized, regional, distant, unknown).
    var hazard: (localized: Double, regional: Double, distant: Double, unknown: Double)
    var paired: Bool = false
    /// ICD-10 underlying cause of death for a cancer death.
    var causeOfDeath: String

    static let all: [CancerSiteProfile] = [
        CancerSiteProfile(name: "Breast", weight: 15, sites: [("C504", 5), ("C502", 2), ("C508", 2), ("C509", 3), ("C501", 1)],
                          histologies: [("8500", 75), ("8520", 12), ("8522", 6), ("8480", 2), ("8530", 1)], sex: "2",
                          meanAge: 62, stages: [("1", 64), ("2", 18), ("3", 6), ("4", 3), ("7", 6), ("9", 3)],
                          hazard: (0.01, 0.04, 0.30, 0.08), paired: true, causeOfDeath: "C509"),
        CancerSiteProfile(name: "Prostate", weight: 13, sites: [("C619", 1)], histologies: [("8140", 95), ("8550", 2), ("8500", 1)],
                          sex: "1", meanAge: 67, stages: [("1", 70), ("2", 10), ("3", 3), ("4", 2), ("7", 8), ("9", 7)],
                          hazard: (0.005, 0.02, 0.25, 0.05), causeOfDeath: "C61"),
        CancerSiteProfile(name: "Lung and bronchus", weight: 12, sites: [("C341", 5), ("C343", 3), ("C342", 1), ("C349", 3), ("C340", 1)],
                          histologies: [("8140", 40), ("8070", 25), ("8041", 13), ("8046", 12), ("8012", 3)], sex: nil,
                          meanAge: 70, stages: [("1", 27), ("2", 12), ("3", 6), ("4", 4), ("7", 45), ("9", 6)],
                          hazard: (0.12, 0.35, 1.2, 0.6), paired: true, causeOfDeath: "C349"),
        CancerSiteProfile(name: "Colon and rectum", weight: 8, sites: [("C180", 2), ("C182", 2), ("C187", 2), ("C189", 1), ("C199", 1), ("C209", 2)],
                          histologies: [("8140", 85), ("8480", 8), ("8210", 2), ("8263", 2)], sex: nil, meanAge: 66,
                          stages: [("1", 37), ("2", 25), ("3", 8), ("4", 3), ("7", 22), ("9", 5)],
                          hazard: (0.03, 0.12, 0.6, 0.2), causeOfDeath: "C189"),
        CancerSiteProfile(name: "Melanoma of the skin", weight: 5, sites: [("C445", 3), ("C447", 2), ("C446", 2), ("C444", 1)],
                          histologies: [("8720", 60), ("8743", 25), ("8721", 8), ("8742", 4)], sex: nil, meanAge: 64,
                          stages: [("1", 78), ("2", 6), ("3", 3), ("4", 2), ("7", 5), ("9", 6)],
                          hazard: (0.005, 0.07, 0.5, 0.05), causeOfDeath: "C439"),
        CancerSiteProfile(name: "Urinary bladder", weight: 4, sites: [("C672", 3), ("C679", 2), ("C674", 1)],
                          histologies: [("8120", 90), ("8130", 6), ("8070", 2)], sex: nil, meanAge: 72,
                          stages: [("1", 60), ("2", 15), ("3", 5), ("4", 2), ("7", 5), ("9", 13)],
                          hazard: (0.04, 0.15, 0.7, 0.15), causeOfDeath: "C679"),
        CancerSiteProfile(name: "Kidney", weight: 4, sites: [("C649", 1)], histologies: [("8312", 70), ("8310", 15), ("8260", 10), ("8317", 5)],
                          sex: nil, meanAge: 64, stages: [("1", 66), ("2", 10), ("3", 4), ("4", 2), ("7", 15), ("9", 3)],
                          hazard: (0.02, 0.10, 0.6, 0.15), paired: true, causeOfDeath: "C64"),
        CancerSiteProfile(name: "Pancreas", weight: 3.5, sites: [("C250", 3), ("C251", 1), ("C252", 1), ("C259", 2)],
                          histologies: [("8500", 85), ("8140", 10), ("8480", 2)], sex: nil, meanAge: 70,
                          stages: [("1", 13), ("2", 22), ("3", 5), ("4", 3), ("7", 52), ("9", 5)],
                          hazard: (0.35, 0.7, 1.8, 1.0), causeOfDeath: "C259"),
        CancerSiteProfile(name: "Thyroid", weight: 3, sites: [("C739", 1)], histologies: [("8260", 80), ("8340", 8), ("8330", 5), ("8345", 2)],
                          sex: nil, meanAge: 51, stages: [("1", 65), ("2", 25), ("3", 3), ("4", 1), ("7", 3), ("9", 3)],
                          hazard: (0.002, 0.005, 0.15, 0.01), causeOfDeath: "C73"),
        CancerSiteProfile(name: "Corpus uteri", weight: 3.5, sites: [("C541", 8), ("C549", 2)], histologies: [("8380", 80), ("8441", 8), ("8950", 3)],
                          sex: "2", meanAge: 63, stages: [("1", 67), ("2", 15), ("3", 4), ("4", 2), ("7", 9), ("9", 3)],
                          hazard: (0.01, 0.08, 0.5, 0.08), causeOfDeath: "C55"),
        CancerSiteProfile(name: "Liver", weight: 2.5, sites: [("C220", 1)], histologies: [("8170", 90), ("8180", 2)], sex: nil, meanAge: 65,
                          stages: [("1", 44), ("2", 20), ("3", 5), ("4", 3), ("7", 18), ("9", 10)],
                          hazard: (0.2, 0.5, 1.3, 0.7), causeOfDeath: "C220"),
        CancerSiteProfile(name: "Ovary", weight: 1.5, sites: [("C569", 1)], histologies: [("8441", 50), ("8460", 15), ("8380", 10), ("8310", 8)],
                          sex: "2", meanAge: 63, stages: [("1", 18), ("2", 15), ("3", 4), ("4", 2), ("7", 56), ("9", 5)],
                          hazard: (0.02, 0.1, 0.35, 0.2), paired: true, causeOfDeath: "C56"),
        CancerSiteProfile(name: "Stomach", weight: 2, sites: [("C160", 2), ("C162", 1), ("C163", 1), ("C169", 2)],
                          histologies: [("8140", 60), ("8490", 20), ("8145", 10)], sex: nil, meanAge: 68,
                          stages: [("1", 28), ("2", 20), ("3", 6), ("4", 3), ("7", 36), ("9", 7)],
                          hazard: (0.07, 0.3, 1.1, 0.5), causeOfDeath: "C169"),
        CancerSiteProfile(name: "Oral cavity and pharynx", weight: 3, sites: [("C019", 2), ("C029", 1), ("C099", 1), ("C109", 1), ("C069", 1)],
                          histologies: [("8070", 85), ("8071", 8), ("8072", 4)], sex: nil, meanAge: 64,
                          stages: [("1", 28), ("2", 35), ("3", 10), ("4", 5), ("7", 17), ("9", 5)],
                          hazard: (0.03, 0.1, 0.5, 0.15), causeOfDeath: "C109"),
    ]
}
