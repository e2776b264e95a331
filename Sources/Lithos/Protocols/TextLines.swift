/// Line splitting and trimming for the protocol and drive-cycle text formats (no Foundation).
enum TextLines {
    /// The lines of `text` (LF, CRLF or CR), without their terminators; a final newline does not
    /// add an empty line. ("\r\n" is one Character in Swift, so it is matched as such.)
    static func split(_ text: String) -> [Substring] {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        if let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    /// `s` without leading and trailing spaces and tabs.
    static func trimmed(_ s: Substring) -> Substring {
        var t = s
        while let c = t.first, c == " " || c == "\t" || c == "\u{FEFF}" { t = t.dropFirst() }
        while let c = t.last, c == " " || c == "\t" { t = t.dropLast() }
        return t
    }

    /// `s` up to (excluding) the first `#`.
    static func withoutComment(_ s: Substring) -> Substring {
        if let i = s.firstIndex(of: "#") { return s[..<i] }
        return s
    }

    /// A short quotation of user text for error messages.
    static func quote(_ s: some StringProtocol, limit: Int = 60) -> String {
        let text = String(s)
        if text.count <= limit { return "'" + text + "'" }
        return "'" + String(text.prefix(limit)) + "…'"
    }
}
