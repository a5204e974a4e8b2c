package ledger

// Localize shows the amount in lang's format (Format), so a message that
// names an amount reads "¥900,000.00" in Chinese and "CNY 900,000.00" in
// English, never a count of minor units.
func (m Money) Localize(lang string) string { return Format(m.Amount, m.Currency, lang) }
