/// Splits one protocol step ("Discharge at 0.5C until 4.2V") into tokens: numbers, words
/// (lower-cased; letters, digits, `_`, `-` and `.` after a leading letter) and single-character
/// symbols (`/`, `%`, `(`, `)`, `:`, `=`, …). A number directly followed by letters is two tokens
/// ("0.5C" → 0.5, "c"), so units may be written with or without a space.
struct ProtocolToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case word(String)
        case symbol(Character)
    }

    var kind: Kind
    /// The token as written.
    var text: Substring

    var word: String? {
        if case let .word(w) = kind { return w }
        return nil
    }

    var number: Double? {
        if case let .number(x) = kind { return x }
        return nil
    }

    func isSymbol(_ c: Character) -> Bool {
        if case let .symbol(s) = kind { return s == c }
        return false
    }
}

enum ProtocolTokenizer {
    static func tokens(_ text: Substring) -> [ProtocolToken] {
        var out: [ProtocolToken] = []
        var i = text.startIndex
        func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }
        while i < text.endIndex {
            let c = text[i]
            if c == " " || c == "\t" { i = text.index(after: i); continue }
            let next = text.index(after: i)
            if isDigit(c) || (c == "." && next < text.endIndex && isDigit(text[next])) {
                var j = i
                while j < text.endIndex && (isDigit(text[j]) || text[j] == ".") { j = text.index(after: j) }
                // Exponent only when digits follow: "1e-3" is a number, "2 e" is not.
                if j < text.endIndex && (text[j] == "e" || text[j] == "E") {
                    var k = text.index(after: j)
                    if k < text.endIndex && (text[k] == "+" || text[k] == "-") { k = text.index(after: k) }
                    if k < text.endIndex && isDigit(text[k]) {
                        j = k
                        while j < text.endIndex && isDigit(text[j]) { j = text.index(after: j) }
                    }
                }
                let literal = text[i..<j]
                if let x = Double(String(literal)) {
                    out.append(ProtocolToken(kind: .number(x), text: literal))
                } else {
                    out.append(ProtocolToken(kind: .word(String(literal)), text: literal))   // "1.2.3": reported as unexpected
                }
                i = j
            } else if c.isLetter || c == "_" {
                var j = i
                while j < text.endIndex && (text[j].isLetter || isDigit(text[j]) || text[j] == "_" || text[j] == "-" || text[j] == ".") {
                    j = text.index(after: j)
                }
                // A trailing "." ends a sentence, it is not part of the word.
                var end = j
                while end > i && text[text.index(before: end)] == "." { end = text.index(before: end) }
                let literal = text[i..<end]
                out.append(ProtocolToken(kind: .word(literal.lowercased()), text: literal))
                i = end   // trailing dots become symbols
            } else {
                out.append(ProtocolToken(kind: .symbol(c), text: text[i..<next]))
                i = next
            }
        }
        return out
    }
}
