extension String {
    /// The text with every run of whitespace turned into one space, to assert on wrapped help output.
    func collapsingWhitespace() -> String {
        self.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }
}
