// swift-tools-version:6.0
// Lithos: solid-state lithium battery simulation and BMS-style state estimation.
// Targets follow DESIGN.md: `Lithos` (Foundation-free core), `LithosC` (the C ABI: @_cdecl
// exports only), `lithos` (the CLI), `CLithos` (the public C header as a Clang module plus the
// thread-local error-message storage, which Swift cannot declare itself).
import PackageDescription

let package = Package(
    name: "Lithos",
    products: [
        .library(name: "Lithos", targets: ["Lithos"]),
        .executable(name: "lithos", targets: ["lithos-cli"]),
    ],
    targets: [
        .target(name: "CLithos", path: "Sources/CLithos"),
        .target(name: "CLithosMath", path: "Sources/CLithosMath"),
        .target(name: "Lithos", dependencies: ["CLithosMath"], path: "Sources/Lithos"),
        .target(name: "LithosC", dependencies: ["Lithos", "CLithos"], path: "Sources/LithosC"),
        .executableTarget(name: "lithos-cli", dependencies: ["Lithos"], path: "Sources/lithos-cli"),
        .testTarget(name: "LithosTests", dependencies: ["Lithos", "LithosC", "CLithos"], path: "Tests/LithosTests"),
    ]
)
