#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lithos

/// Writes `text` to `path` (created or truncated), Foundation-free like `readTextFile`.
func writeTextFile(_ path: String, _ text: String) throws {
    guard let file = fopen(path, "wb") else {
        throw LithosError(.notFound, "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
    var bytes = Array(text.utf8)
    let written = bytes.withUnsafeMutableBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    let closed = fclose(file)
    guard written == bytes.count, closed == 0 else {
        throw LithosError(.internal, "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
}

/// True when `path` names an existing regular file.
func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    return (info.st_mode & S_IFMT) == S_IFREG
}
