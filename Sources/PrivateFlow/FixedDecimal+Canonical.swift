import FixedPoint

extension FixedDecimal {
    /// The value's shortest text (`0.75000` → `0.75`), so keys built from it do not depend
    /// on how many digits a particular API wrote.
    var canonicalText: String {
        var value = self
        while value.scale > 0, value.mantissa % 10 == 0 {
            value = FixedDecimal(mantissa: value.mantissa / 10, scale: value.scale - 1)
        }
        return value.description
    }
}
