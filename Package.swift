// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TumorRegistry",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "registry", targets: ["registry"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "RegistryStore", targets: ["RegistryStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The C library libpq (Debian: libpq-dev).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // Dates without a time of day (proleptic Gregorian), shared by the modules that do date arithmetic.
        .target(name: "CivilCalendar"),
        // The only code that calls libpq.
        .target(name: "Postgres", dependencies: ["CLibPQ", "CivilCalendar"]),
        // zlib, for .xml.gz files (Debian: zlib1g-dev). Not named CZlib: ZIPFoundation has a module of that name.
        .systemLibrary(name: "SystemZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // The NAACCR data standard: dictionary, record model, value validation, streaming XML.
        // Its byte-level XML scanner is a hot loop: dynamic exclusivity checks on the scanner's buffer state cost a
        // tenth of the reading time, and every access there is confined to one instance on one thread.
        // Intel ISA-L's igzip, the fast gzip compressor for large files at levels 1-3 (Debian: libisal-dev).
        .systemLibrary(name: "SystemISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"]), .brew(["isa-l"])]),
        .target(name: "NAACCR", dependencies: ["SystemZlib", "SystemISAL"], swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // A reproducible synthetic registry for demos and benchmarks (no real patients).
        .target(name: "SyntheticRegistry", dependencies: ["NAACCR", "CivilCalendar", "Coding", "Staging"]),
        // The registry's own PostgreSQL cluster when no DATABASE_URL is given.
        .target(name: "EmbeddedPostgres"),
        // Survival statistics: survival months, Kaplan-Meier, life tables, relative and net survival, log-rank.
        .target(name: "Survival", dependencies: ["CivilCalendar"]),
        // Incidence statistics: crude and age-adjusted rates (2000 US standard), Tiwari gamma intervals, annual percent change.
        .target(name: "Incidence", dependencies: ["Survival"]),
        // Code tables: ICD-O-3 topography and morphology, NAACCR code lists, paired sites, SEER site recode.
        .target(name: "Coding"),
        // Data-quality edits: the engine, the edit library, edit sets, over-rides.
        .target(name: "Edits", dependencies: ["NAACCR", "Coding", "CivilCalendar", "Staging"]),
        // SEER staging by schema (EOD Public); the algorithm is data (`scripts/gen-staging`), read at start-up.
        .target(name: "Staging", dependencies: ["Coding"], resources: [.copy("Data")]),
        // Migrations and the registry's tables.
        .target(name: "RegistryStore", dependencies: ["Postgres", "NAACCR"]),
        // Typed report tables and their renderings (HTML, PDF, CSV, JSON, XLSX, SVG charts; public suppression); templates in the top-level reports/.
        .target(name: "Reports", dependencies: ["Survival", "Incidence", "Coding", .product(name: "Mustache", package: "swift-mustache"), "ZIPFoundation"]),
        // The registry's workflows: every operation (save, import, run edits, export, survival cohort, users and
        // sessions) as one transactional, audited function, used by the CLI and the service alike.
        .target(
            name: "Registry",
            dependencies: [
                "Postgres", "RegistryStore", "NAACCR", "Edits", "Coding", "Survival", "CivilCalendar", "Reports", "Incidence",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The registrar service: HTTP only (routes per resource, permission middleware, pages, OpenAPI) over Registry.
        .target(
            name: "RegistryService",
            dependencies: [
                "Registry", "RegistryStore", "NAACCR", "Edits", "Coding", "Staging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("openapi.json")]
        ),
        // The command-line tool.
        .executableTarget(
            name: "registry",
            dependencies: [
                "Postgres", "RegistryStore", "EmbeddedPostgres", "NAACCR", "SyntheticRegistry", "Survival", "Coding", "Edits",
                "Registry", "RegistryService", "Reports", "Staging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Benchmarks run by scripts/bench (never by the unit tests).
        .executableTarget(name: "PostgresBench", dependencies: ["Postgres"]),
        .executableTarget(name: "NaaccrBench", dependencies: ["NAACCR", "SyntheticRegistry"]),
        .executableTarget(name: "SurvivalBench", dependencies: ["Survival", "CivilCalendar", "Registry"]),
        .executableTarget(name: "EditsBench", dependencies: ["Edits", "NAACCR", "SyntheticRegistry"]),
        // Test helpers: a fresh database per test on the server scripts/test starts.
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/Support"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "RegistryStoreTests", dependencies: ["RegistryStore", "Postgres", "TestSupport", "NAACCR", "SyntheticRegistry"]),
        .testTarget(name: "NAACCRTests", dependencies: ["NAACCR", "SyntheticRegistry"]),
        .testTarget(name: "SurvivalTests", dependencies: ["Survival"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CodingTests", dependencies: ["Coding"]),
        .testTarget(name: "StagingTests", dependencies: ["Staging"]),
        .testTarget(name: "EditsTests", dependencies: ["Edits", "NAACCR", "SyntheticRegistry"]),
        .testTarget(name: "CommandLineTests", dependencies: ["TestSupport", "Postgres"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "RegistryStore", "Postgres", "TestSupport", "SyntheticRegistry", "NAACCR", "Edits"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Survival"]),
        .testTarget(name: "IncidenceTests", dependencies: ["Incidence", "TestSupport"]),
        .testTarget(name: "RegistryServiceTests", dependencies: [
            "RegistryService", "Registry", "RegistryStore", "Postgres", "TestSupport", "SyntheticRegistry", "NAACCR",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "EmbeddedPostgresTests", dependencies: ["EmbeddedPostgres", "Postgres"]),
    ]
)
