// swift-tools-version:6.2
// The fuzzers that need swift-crypto: the real GatehouseOAuth sources (through the symlink
// Sources/GatehouseOAuth -> ../../Sources/GatehouseOAuth) plus one libFuzzer harness per
// executable. Separate from the main package so its `swift build` / `swift test` never see
// them. Built and run by Deploy/scripts/fuzz.sh; see there.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "gatehouse-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.1.0"),
    ],
    targets: [
        .target(
            name: "GatehouseOAuth",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Fixed keys and base64url helpers of the harnesses (not product code).
        .target(
            name: "FuzzKeys",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "JWSFuzzer",
            dependencies: ["GatehouseOAuth", "FuzzKeys", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "JWKSFuzzer",
            dependencies: ["GatehouseOAuth", "FuzzKeys", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
    ]
)
