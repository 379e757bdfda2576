package pytext

import "unicode/utf8"

// SplitLines is Python's str.splitlines(): s cut at every line boundary
// Python knows (\n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029), the
// boundaries dropped, no empty last line for a trailing boundary, and no
// lines (nil) for "". Bytes that are not UTF-8 are kept as they are. Ansible
// uses it for stdout_lines, and its modules for reading command output.
func SplitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		end := i
		i += size
		switch r {
		case '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
		default:
			continue
		}
		lines = append(lines, s[start:end])
		start = i
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}
