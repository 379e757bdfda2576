package pytext

// SplitLines is Python's str.splitlines(): lines end at \n, \r, \r\n and
// the other breaks Python knows (\v, \f, \x1c-\x1e, \x85, U+2028, U+2029);
// the breaks are dropped, and a final break starts no empty line.
func SplitLines(s string) []string {
	lines := []string{}
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\r':
			lines = append(lines, string(rs[start:i]))
			if i+1 < len(rs) && rs[i+1] == '\n' {
				i++
			}
			start = i + 1
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			lines = append(lines, string(rs[start:i]))
			start = i + 1
		}
	}
	if start < len(rs) {
		lines = append(lines, string(rs[start:]))
	}
	return lines
}
