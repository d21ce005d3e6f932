// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "fieldsync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fieldsync", targets: ["fieldsync"]),
        .library(name: "FieldSyncModel", targets: ["FieldSyncModel"]),
        .library(name: "FieldSyncTally", targets: ["FieldSyncTally"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // C libraries named by the design: libpq for PostgreSQL, libcrypto for hashing and signatures.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // zlib, to gzip each live event once for every stream that accepts it.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // glibc's posix_spawn action that closes every inherited descriptor, which Swift cannot see.
        .target(name: "CSpawn"),

        // Pure logic: no I/O.
        .target(
            name: "FieldSyncModel",
            dependencies: ["CCrypto"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FieldSyncTally",
            dependencies: ["FieldSyncModel"],
            swiftSettings: swiftSettings
        ),

        // Storage, HTTP, the reporter's side.
        .target(
            name: "FieldSyncStore",
            dependencies: [
                "CLibPQ",
                "CSpawn",
                "FieldSyncModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        // The fold fed from the store and drained into it: the projector, its state, time travel.
        .target(
            name: "FieldSyncProjection",
            dependencies: [
                "FieldSyncModel",
                "FieldSyncTally",
                "FieldSyncStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FieldSyncServer",
            dependencies: [
                "CZlib",
                "FieldSyncModel",
                "FieldSyncTally",
                "FieldSyncProjection",
                "FieldSyncStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["Dashboard/Assets"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedFiles"]
        ),
        .target(
            name: "FieldSyncClient",
            dependencies: [
                "FieldSyncModel",
                "FieldSyncTally",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "fieldsync",
            dependencies: [
                "FieldSyncModel",
                "FieldSyncTally",
                "FieldSyncProjection",
                "FieldSyncStore",
                "FieldSyncServer",
                "FieldSyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // Build-time embedding of Schema/ migrations and dashboard assets into the binary.
        .executableTarget(name: "EmbedFilesTool", path: "Plugins/EmbedFilesTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFilesTool"]),

        // Benchmarks and maintenance programs.
        .target(
            name: "BenchmarkSupport",
            path: "Tools/Benchmarks/BenchmarkSupport",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "store-benchmark",
            dependencies: ["BenchmarkSupport", "ServeSupport", "FieldSyncStore", "FieldSyncModel"],
            path: "Tools/Benchmarks/StoreBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "server-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "ServeSupport",
                "FieldSyncServer",
                "FieldSyncProjection",
                "FieldSyncStore",
                "FieldSyncModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tools/Benchmarks/ServerBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sync-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "ServeSupport",
                "FieldSyncClient",
                "FieldSyncServer",
                "FieldSyncStore",
                "FieldSyncModel",
            ],
            path: "Tools/Benchmarks/SyncBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "photo-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "ServeSupport",
                "FieldSyncClient",
                "FieldSyncServer",
                "FieldSyncStore",
                "FieldSyncModel",
            ],
            path: "Tools/Benchmarks/PhotoBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "model-benchmark",
            dependencies: ["BenchmarkSupport", "FieldSyncModel"],
            path: "Tools/Benchmarks/ModelBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "tally-benchmark",
            dependencies: ["FieldSyncTally", "FieldSyncModel"],
            path: "Tools/Benchmarks/TallyBenchmark",
            swiftSettings: swiftSettings
        ),

        // The server for the benchmarks that measure it: the real `fieldsync serve` as a child process, or
        // the server in the benchmark's own process; and its HTTP API.
        .target(
            name: "ServeSupport",
            dependencies: [
                "BenchmarkSupport",
                "FieldSyncModel",
                "FieldSyncServer",
                "FieldSyncStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tools/Benchmarks/ServeSupport",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "memory-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "ServeSupport",
                "FieldSyncStore",
                "FieldSyncModel",
                "FieldSyncTally",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/Benchmarks/MemoryBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "roster-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "ServeSupport",
                "FieldSyncModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Tools/Benchmarks/RosterBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "proof-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "ServeSupport",
                "FieldSyncClient",
                "FieldSyncModel",
                "FieldSyncServer",
                "FieldSyncStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tools/Benchmarks/ProofBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "live-benchmark",
            dependencies: [
                "BenchmarkSupport",
                "CZlib",
                "ServeSupport",
                "FieldSyncModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tools/Benchmarks/LiveBenchmark",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "projector-benchmark",
            dependencies: [
                "BenchmarkSupport", "FieldSyncProjection", "FieldSyncStore", "FieldSyncModel", "FieldSyncTally",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/Benchmarks/ProjectorBenchmark",
            swiftSettings: swiftSettings
        ),

        // Tests.
        .target(
            name: "FieldSyncTestSupport",
            dependencies: [
                "FieldSyncServer",
                "FieldSyncProjection",
                "FieldSyncStore",
                "FieldSyncModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/FieldSyncTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FieldSyncModelTests",
            dependencies: ["FieldSyncModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FieldSyncTallyTests",
            dependencies: ["FieldSyncTally", "FieldSyncModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FieldSyncStoreTests",
            dependencies: ["FieldSyncStore", "FieldSyncModel", "FieldSyncTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FieldSyncProjectionTests",
            dependencies: [
                "FieldSyncProjection", "FieldSyncStore", "FieldSyncModel", "FieldSyncTally", "FieldSyncTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FieldSyncServerTests",
            dependencies: [
                "FieldSyncServer",
                "FieldSyncProjection",
                "FieldSyncStore",
                "FieldSyncModel",
                "FieldSyncTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "FieldSyncServer",
                "FieldSyncProjection",
                "FieldSyncStore",
                "FieldSyncModel",
                "FieldSyncTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FieldSyncClientTests",
            dependencies: ["FieldSyncClient", "FieldSyncModel", "FieldSyncTally", "FieldSyncTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "FieldSyncClient",
                "FieldSyncModel",
                "FieldSyncStore",
                "FieldSyncTally",
                "FieldSyncTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuditTests",
            dependencies: [
                "FieldSyncClient",
                "FieldSyncModel",
                "FieldSyncServer",
                "FieldSyncProjection",
                "FieldSyncStore",
                "FieldSyncTally",
                "FieldSyncTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
