import ArgumentParser
import Edits
import Foundation
import Hummingbird
import Logging
import Registry
import RegistryService
import RegistryStore
import ServiceLifecycle
import SyntheticRegistry

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the registrar service: the workbench pages at /, the JSON API under /api/, health checks at /health and /ready.",
        discussion: """
            Binds to 127.0.0.1 unless --host says otherwise; in production run it behind a TLS reverse proxy, pass \
            --secure-cookies and name the proxy with --trusted-proxy so sign-in limits and audit rows see the real \
            client (README: Deployment). On SIGINT/SIGTERM requests in flight finish, then the database connections \
            close. Settings also come from REGISTRY_HOST, REGISTRY_PORT, REGISTRY_SECURE_COOKIES=1 and \
            REGISTRY_TRUSTED_PROXIES (comma-separated).
            """)

    @Option(help: "Address to listen on.") var host = ProcessInfo.processInfo.environment["REGISTRY_HOST"] ?? "127.0.0.1"
    @Option(help: "Port to listen on.") var port = Int(ProcessInfo.processInfo.environment["REGISTRY_PORT"] ?? "") ?? 8080
    @Flag(help: "Mark the session cookie Secure (needed behind HTTPS).") var secureCookies = ProcessInfo.processInfo.environment["REGISTRY_SECURE_COOKIES"] == "1"
    @Option(name: .customLong("trusted-proxy"),
            help: ArgumentHelp("Address of a reverse proxy whose X-Forwarded-For is believed (repeat for several).", valueName: "address"))
    var trustedProxies: [String] = (ProcessInfo.processInfo.environment["REGISTRY_TRUSTED_PROXIES"] ?? "")
        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    @Flag(help: "Start on the demo registry: load it when the database is empty and print a demo login.") var demo = false
    @Option(help: "Database connections in the pool.") var connections = 8
    @Option(help: ArgumentHelp("The registry's own edits (a file or a directory of *.edits files): they run as registrars type and save.", valueName: "file|dir"))
    var edits: String?
    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1-65535") }
        guard (1...200).contains(connections) else { throw ValidationError("--connections must be 1-200") }
    }

    func run() async throws {
        let registryEdits: RegistryEdits?
        do { registryEdits = try edits.map { try RegistryEdits.load(path: $0) } } catch { throw ValidationError("--edits: \(error)") }
        let registry = try database.registry(connections: connections, edits: registryEdits)
        if demo { try await prepareDemo(registry) }
        var logger = Logger(label: "registry")
        logger.logLevel = .info
        let service = RegistryService(registry: registry, configuration: .init(secureCookies: secureCookies, trustedProxies: Set(trustedProxies)))
        printErr("registry service on http://\(host):\(port) (workbench at /, API under /api/, health at /health and /ready)")
        // The pool starts first and stops last: on SIGTERM the server stops taking requests and finishes those in
        // flight, then the connections close.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: ConnectionPoolService(pool: registry.pool)),
                       .init(service: service.application(host: host, port: port, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Loads the demo registry into an empty database and (re)creates the demo registrar and submitter with a fresh
    /// password. A fresh demo also has a history: a state submission, accepted, then a few abstracts changed since, so
    /// the submitter's preview shows them as changed.
    func prepareDemo(_ registry: Registry) async throws {
        let actor = try await database.actor(registry)
        let fresh = try await registry.patientCount() == 0
        if fresh {
            let summary = try await DemoCommand.load(SyntheticRegistryGenerator(patientCount: 2_000, seed: 2026), into: registry,
                                                     source: "registry serve --demo", by: actor)
            printErr("loaded the demo registry: \(summary.patientsRead) synthetic patients")
            let edits = try await registry.runEdits(.incomingAbstract, by: actor)
            printErr("ran the incoming-abstract edits: \(edits.tumorsChecked) tumors, \(edits.tumorsWithErrors) with errors")
        }
        let password = (0..<4).map { _ in String(format: "%04d", Int.random(in: 0..<10_000)) }.joined(separator: "-")
        // A registrar, and a submitter for the submission pages, with the same password.
        for (username, displayName, role) in [("demo", "Demo Registrar", Role.registrar), ("demo-submitter", "Demo Submitter", Role.submitter),
                                               ("demo-reviewer", "Demo Committee Reviewer", Role.reviewer)] {
            do {
                _ = try await registry.accounts.create(username: username, displayName: displayName, role: role, password: password, by: actor)
            } catch AccountError.duplicateUser {
                try await registry.accounts.setPassword(username: username, password: password, by: actor)
                try await registry.accounts.setDisabled(username: username, false, by: actor)
            }
        }
        if fresh, let state = Destination.builtIn.first(where: { $0.name == "state" }),
           let registrar = try await registry.accounts.account(named: "demo") {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registry-demo-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let sent = try await registry.submit(to: state, dryRun: false, directory: folder, by: actor)
            if let id = sent.id { try await registry.markSubmission(id, status: "accepted", reason: "demo: accepted by the state", by: actor) }
            for tumorId in 1...5 {
                guard let stored = try? await registry.abstract(tumorId: tumorId, for: registrar, from: nil) else { continue }
                _ = try await registry.saveTumor(id: tumorId, baseVersion: stored.version,
                                                 changes: ["textRemarks": "Follow-up: treatment plan revised after the state submission (demo)."],
                                                 by: registrar, from: nil)
            }
            printErr("demo history: state submission \(sent.id ?? 0) accepted, 5 abstracts changed since")
        }
        // Written straight to the descriptor: stdout is block-buffered when not a terminal and the server runs on.
        FileHandle.standardOutput.write(Data(("demo login: user 'demo', password '\(password)' (synthetic data only); "
                                              + "demo-submitter and demo-reviewer (cancer committee) have the same password\n").utf8))
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage registry users.",
                                                    subcommands: [AddUser.self, SetPassword.self, DisableUser.self])

    /// Reads a password from REGISTRY_PASSWORD or standard input (never from the command line, where `ps` shows it).
    static func readPassword() throws -> String {
        if let password = ProcessInfo.processInfo.environment["REGISTRY_PASSWORD"], !password.isEmpty { return password }
        FileHandle.standardError.write(Data("password (at least 12 characters): ".utf8))
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password given") }
        return line
    }
}

extension Role: ExpressibleByArgument {}

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user (password from REGISTRY_PASSWORD or standard input).")
    @Argument var username: String
    @Option(help: "admin, registrar, reviewer or submitter.") var role: Role
    @Option(help: "Full name shown in the workbench.") var name = ""
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        let user = try await registry.accounts.create(username: username, displayName: name, role: role,
                                                      password: try UserCommand.readPassword(), by: try await database.actor(registry))
        print("added \(user.username) (\(user.role.rawValue))")
    }
}

struct SetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Set a user's password (ends their sessions).")
    @Argument var username: String
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        try await registry.accounts.setPassword(username: username, password: try UserCommand.readPassword(), by: try await database.actor(registry))
        print("password changed for \(username); their sessions were ended")
    }
}

struct DisableUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable a user (or --enable again).")
    @Argument var username: String
    @Flag(help: "Enable instead.") var enable = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let registry = try database.registry(connections: 1)
        defer { registry.pool.close() }
        try await registry.accounts.setDisabled(username: username, !enable, by: try await database.actor(registry))
        print("\(username) \(enable ? "enabled" : "disabled")")
    }
}
