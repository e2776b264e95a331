// The `lithos` command-line tool. Commands are documented in README.md and in `lithos help`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lithos

let arguments = Array(CommandLine.arguments.dropFirst())
exit(CommandLineTool.run(arguments))
