extension Dictionary {
    /// Mutates the value for `key` in place; nil when there is none. Optional chaining on the
    /// key subscript (`books[symbol]?.apply(…)`) writes the value back as a copy — for a book
    /// keeper, a retain and release of each of its buffers on every message.
    mutating func mutateValue<Result>(forKey key: Key, _ body: (inout Value) -> Result) -> Result? {
        guard let index = index(forKey: key) else { return nil }
        return body(&values[index])
    }
}
