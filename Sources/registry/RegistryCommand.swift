import ArgumentParser

@main
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "A cancer registry: abstracts, data-quality edits, submissions and survival statistics.",
        discussion: """
            With no DATABASE_URL set, the registry keeps its own PostgreSQL database in ./.registry \
            (or REGISTRY_HOME) and starts it when needed.

            Start here:
              registry demo              load a synthetic demo registry (no real patients)
              registry db status         where the data lives and whether the server runs
            """,
        subcommands: [DemoCommand.self, ImportCommand.self, ExportCommand.self, SubmitCommand.self, SubmissionsCommand.self, IntakeCommand.self, ConvertCommand.self, EditsCommand.self, StageCommand.self, SurvivalCommand.self, ReportCommand.self, FollowUpCommand.self, PhysiciansCommand.self, CasefindingCommand.self, PopulationCommand.self, ServeCommand.self, UserCommand.self, DatabaseCommand.self]
    )
}
