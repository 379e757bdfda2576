package playbook

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// rawParamKeys are the k=v options that command-like free-form modules accept
// inline; any other k=v stays part of the command, as in Ansible's parse_kv.
var rawParamKeys = map[string]bool{
	"creates": true, "removes": true, "chdir": true, "executable": true, "warn": true,
	"stdin": true, "stdin_add_newline": true, "strip_empty_ends": true,
}

// ParseKV splits "k=v k2='v 2' free text" into options as Ansible's parse_kv does.
// With checkRaw (free-form modules) a k=v whose key is not one of the few inline
// options stays in the free-form text, which goes to "_raw_params".
func ParseKV(args string, checkRaw bool) (map[string]any, error) {
	options := map[string]any{}
	parts, err := SplitArgs(args)
	if err != nil {
		return nil, err
	}
	var raw []string
	for _, orig := range parts {
		x := decodeEscapes(orig)
		if !strings.Contains(x, "=") {
			// Free text is kept as written: escapes are decoded only in
			// k=v words (a shell command's \\ and \t stay).
			raw = append(raw, orig)
			continue
		}
		pos := equalsAt(x)
		if pos < 0 {
			raw = append(raw, strings.ReplaceAll(x, `\=`, "="))
			continue
		}
		k, v := x[:pos], x[pos+1:]
		if checkRaw && !rawParamKeys[k] {
			raw = append(raw, orig)
			continue
		}
		options[strings.TrimSpace(k)] = unquote(strings.TrimSpace(v))
	}
	if len(raw) > 0 {
		options["_raw_params"] = joinArgs(raw)
	}
	return options, nil
}

// equalsAt finds the first '=' after position 0 not preceded by a backslash, or -1.
func equalsAt(x string) int {
	for pos := 1; pos < len(x); pos++ {
		if x[pos] == '=' && x[pos-1] != '\\' {
			return pos
		}
	}
	return -1
}

func joinArgs(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

func unquote(s string) string {
	if len(s) > 1 && s[0] == s[len(s)-1] && (s[0] == '"' || s[0] == '\'') && s[len(s)-2] != '\\' {
		return s[1 : len(s)-1]
	}
	return s
}

var escapeRE = regexp.MustCompile(`\\U[a-fA-F0-9]{8}|\\u[a-fA-F0-9]{4}|\\x[a-fA-F0-9]{2}|\\N\{[^}]+\}|\\[\\'"abfnrtv]`)

// decodeEscapes decodes Python string escapes the way Ansible's _decode_escapes does.
func decodeEscapes(s string) string {
	return escapeRE.ReplaceAllStringFunc(s, func(m string) string {
		switch m[1] {
		case 'U', 'u', 'x':
			n, err := strconv.ParseUint(m[2:], 16, 32)
			if err != nil {
				return m
			}
			if m[1] == 'x' {
				return string(rune(n))
			}
			return string(rune(n))
		case 'N':
			return m // named Unicode characters: left as written
		}
		switch m[1] {
		case 'a':
			return "\a"
		case 'b':
			return "\b"
		case 'f':
			return "\f"
		case 'n':
			return "\n"
		case 'r':
			return "\r"
		case 't':
			return "\t"
		case 'v':
			return "\v"
		}
		return m[1:] // \\ \' \"
	})
}

// SplitArgs splits on whitespace but keeps quoted strings and Jinja2 blocks
// together, a line-for-line port of Ansible's split_args.
func SplitArgs(args string) ([]string, error) {
	var params []string
	var quote byte
	insideQuotes := false
	printDepth, blockDepth, commentDepth := 0, 0, 0
	items := strings.Split(args, "\n")
	for itemIdx, item := range items {
		tokens := strings.Split(item, " ")
		lineContinuation := false
		for idx, token := range tokens {
			if token == "" && idx != 0 {
				if len(params) > 0 {
					params[len(params)-1] += " "
				}
				continue
			}
			if token == `\` && !insideQuotes {
				lineContinuation = true
				continue
			}
			wasInsideQuotes := insideQuotes
			quote = quoteState(token, quote)
			insideQuotes = quote != 0
			appended := false
			inJinja := printDepth > 0 || blockDepth > 0 || commentDepth > 0
			switch {
			case insideQuotes && !wasInsideQuotes && !inJinja:
				params = append(params, token)
				appended = true
			case inJinja || insideQuotes || wasInsideQuotes:
				if len(params) == 0 {
					params = append(params, "")
				}
				last := len(params) - 1
				switch {
				case idx == 0 && wasInsideQuotes:
					params[last] += token
				case len(tokens) > 1:
					if idx > 0 {
						params[last] += " "
					}
					params[last] += token
				default:
					params[last] += "\n" + token
				}
				appended = true
			}
			for _, blk := range []struct {
				depth       *int
				open, close string
			}{{&printDepth, "{{", "}}"}, {&blockDepth, "{%", "%}"}, {&commentDepth, "{#", "#}"}} {
				prev := *blk.depth
				*blk.depth = countJinjaBlocks(token, prev, blk.open, blk.close)
				if *blk.depth != prev && !appended {
					params = append(params, token)
					appended = true
				}
			}
			if printDepth == 0 && blockDepth == 0 && commentDepth == 0 && !insideQuotes && !appended && token != "" {
				params = append(params, token)
			}
		}
		if len(items) > 1 && itemIdx != len(items)-1 && !lineContinuation && len(params) > 0 {
			params[len(params)-1] += "\n"
		}
	}
	if printDepth > 0 || blockDepth > 0 || commentDepth > 0 || insideQuotes {
		return nil, fmt.Errorf("failed at splitting arguments, either an unbalanced jinja2 block or quotes: %s", args)
	}
	return params, nil
}

func quoteState(token string, quote byte) byte {
	for i := 0; i < len(token); i++ {
		c := token[i]
		if (c == '"' || c == '\'') && (i == 0 || token[i-1] != '\\') {
			if quote != 0 {
				if c == quote {
					quote = 0
				}
			} else {
				quote = c
			}
		}
	}
	return quote
}

func countJinjaBlocks(token string, depth int, open, close string) int {
	nOpen, nClose := strings.Count(token, open), strings.Count(token, close)
	if nOpen != nClose {
		depth += nOpen - nClose
		if depth < 0 {
			depth = 0
		}
	}
	return depth
}
