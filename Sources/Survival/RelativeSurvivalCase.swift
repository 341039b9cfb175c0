/// A case for relative or net survival: follow-up in days, the event (death from any cause), and what the
/// population life table needs: age at diagnosis in days, sex, and the diagnosis date (days since 1970-01-01).
public struct RelativeSurvivalCase: Sendable, Hashable {
    public var days: Double
    public var event: Bool
    public var ageDays: Double
    public var sex: LifeTableSex
    public var diagnosisDay: Double

    public init(days: Double, event: Bool, ageDays: Double, sex: LifeTableSex, diagnosisDay: Double) {
        self.days = days
        self.event = event
        self.ageDays = ageDays
        self.sex = sex
        self.diagnosisDay = diagnosisDay
    }
}
