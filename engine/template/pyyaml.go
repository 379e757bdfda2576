package template

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// toYAML emits YAML as PyYAML's yaml.dump does with Ansible's dumper:
// sorted keys, flow style for scalar-only collections when flow is true,
// PyYAML's scalar quoting and line folding at 80 columns.
func toYAML(v any, indent int, flow bool, kw *value.Dict) (string, error) {
	if indent < 2 || indent > 9 {
		indent = 2
	}
	width := 80
	if w, ok := kw.Get("width"); ok {
		width, _ = toInt(w)
	}
	sortKeys := true
	if s, ok := kw.Get("sort_keys"); ok {
		sortKeys = argBool(s, true)
	}
	y := &yamlEmitter{indent: indent, flow: flow, width: width, sortKeys: sortKeys}
	if u := findUndefined(v); u != nil {
		return "", u.err()
	}
	if err := y.node(v, 0, false); err != nil {
		return "", err
	}
	out := y.b.String()
	if !isMapping(v) && !isListLike(v) || (y.flowAll(v) && flow) {
		if !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		return out, nil
	}
	return out, nil
}

func isListLike(v any) bool { _, ok := asList(v); return ok }

type yamlEmitter struct {
	b        strings.Builder
	indent   int
	flow     bool
	width    int
	sortKeys bool
	col      int
}

func (y *yamlEmitter) write(s string) {
	y.b.WriteString(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		y.col = len([]rune(s[i+1:]))
	} else {
		y.col += len([]rune(s))
	}
}

func (y *yamlEmitter) keys(m any) []string {
	k := append([]string(nil), mapKeys(m)...)
	if y.sortKeys {
		sort.Strings(k)
	}
	return k
}

// flowAll reports whether v is a collection holding only scalars (PyYAML's default_flow_style=None rule).
func (y *yamlEmitter) flowAll(v any) bool {
	if isMapping(v) {
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			if isMapping(x) || isListLike(x) {
				return false
			}
		}
		return true
	}
	if l, ok := asList(v); ok {
		for _, x := range l {
			if isMapping(x) || isListLike(x) {
				return false
			}
		}
		return true
	}
	return false
}

func (y *yamlEmitter) node(v any, level int, inSeq bool) error {
	v = resolveLazy(v)
	if (isMapping(v) || isListLike(v)) && (y.flow && y.flowAll(v) || mapOrListEmpty(v)) {
		return y.flowNode(v, level)
	}
	switch {
	case isMapping(v):
		keys := y.keys(v)
		for i, k := range keys {
			if i > 0 || !inSeq {
				if y.b.Len() > 0 {
					y.write("\n" + strings.Repeat(" ", level*y.indent))
				}
			}
			y.scalar(k, level, true)
			y.write(":")
			x, _ := mapGet(v, k)
			x = resolveLazy(x)
			if (isMapping(x) || isListLike(x)) && !(y.flow && y.flowAll(x)) && !mapOrListEmpty(x) {
				if isListLike(x) {
					if err := y.seq(x, level); err != nil {
						return err
					}
				} else if err := y.node(x, level+1, false); err != nil {
					return err
				}
				continue
			}
			y.write(" ")
			if err := y.node(x, level+1, false); err != nil {
				return err
			}
		}
		if level == 0 {
			y.write("\n")
		}
		return nil
	case isListLike(v):
		if err := y.seq(v, level-1); err != nil {
			return err
		}
		if level == 0 {
			y.write("\n")
		}
		return nil
	}
	return y.scalar(v, level, false)
}

// seq writes a block sequence whose dashes sit at level's indentation.
func (y *yamlEmitter) seq(v any, level int) error {
	l, _ := asList(v)
	ind := strings.Repeat(" ", max(level, 0)*y.indent)
	for i, x := range l {
		if i > 0 || y.b.Len() > 0 {
			y.write("\n" + ind)
		}
		y.write("- ")
		if err := y.node(x, max(level, 0)+1, true); err != nil {
			return err
		}
	}
	return nil
}

func mapOrListEmpty(v any) bool {
	if isMapping(v) {
		return mapLen(v) == 0
	}
	l, ok := asList(v)
	return ok && len(l) == 0
}

func (y *yamlEmitter) flowNode(v any, level int) error {
	if isMapping(v) {
		y.write("{")
		for i, k := range y.keys(v) {
			if i > 0 {
				y.write(", ")
			}
			y.scalar(k, level, true)
			y.write(": ")
			x, _ := mapGet(v, k)
			if err := y.flowNode(resolveLazy(x), level); err != nil {
				return err
			}
		}
		y.write("}")
		return nil
	}
	if l, ok := asList(v); ok {
		y.write("[")
		for i, x := range l {
			if i > 0 {
				y.write(", ")
			}
			if err := y.flowNode(x, level); err != nil {
				return err
			}
		}
		y.write("]")
		return nil
	}
	return y.scalar(v, level, true)
}

var yamlImplicit = regexp.MustCompile(`^(?:~|null|Null|NULL|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N|=|` +
	`[-+]?(?:0|[1-9][0-9_]*)|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|` +
	`[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|` +
	`[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?)$`)

func (y *yamlEmitter) scalar(v any, level int, simpleKey bool) error {
	switch x := plain(v).(type) {
	case nil:
		y.write("null")
	case bool:
		if x {
			y.write("true")
		} else {
			y.write("false")
		}
	case int:
		y.write(strconv.Itoa(x))
	case float64:
		s := formatFloat(x)
		switch s {
		case "inf":
			s = ".inf"
		case "-inf":
			s = "-.inf"
		case "nan":
			s = ".nan"
		}
		y.write(s)
	case string:
		y.str(x, level, simpleKey)
	default:
		return fmt.Errorf("cannot represent an object: %s", pyRepr(v))
	}
	return nil
}

func (y *yamlEmitter) str(s string, level int, simpleKey bool) {
	if s == "" {
		y.write("''")
		return
	}
	plainOK, singleOK := analyzeScalar(s)
	if yamlImplicit.MatchString(s) {
		plainOK = false
	}
	if simpleKey && strings.Contains(s, "\n") {
		singleOK = false
	}
	ind := strings.Repeat(" ", (level)*y.indent)
	switch {
	case plainOK:
		y.folded(s, ind, "")
	case singleOK:
		y.write("'")
		y.folded(strings.ReplaceAll(s, "'", "''"), ind, "'")
		y.write("'")
	default:
		y.write(quoteDouble(s))
	}
}

// folded writes text, breaking at spaces past the width as PyYAML does, and
// writing line breaks of quoted scalars as blank lines.
func (y *yamlEmitter) folded(s, ind, quote string) {
	words := strings.Split(s, " ")
	for i, w := range words {
		if i > 0 {
			if y.col+1+len([]rune(w)) > y.width && w != "" && words[i-1] != "" {
				y.write("\n" + ind)
			} else {
				y.write(" ")
			}
		}
		if quote != "" && strings.Contains(w, "\n") {
			parts := strings.Split(w, "\n")
			for j, p := range parts {
				if j > 0 {
					y.write("\n")
					if j == 1 {
						y.write("\n")
					}
					if p != "" || j == len(parts)-1 {
						y.write(ind)
					}
				}
				y.write(p)
			}
			continue
		}
		y.write(w)
	}
}

// analyzeScalar follows PyYAML's Emitter.analyze_scalar for the styles we emit.
func analyzeScalar(s string) (plainOK, singleOK bool) {
	plainOK, singleOK = true, true
	r := []rune(s)
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		plainOK = false
	}
	if r[0] == ' ' || r[len(r)-1] == ' ' {
		plainOK = false
	}
	for i, c := range r {
		if i == 0 && strings.ContainsRune("#,[]{}&*!|>'\"%@`", c) {
			plainOK = false
		}
		if i == 0 && strings.ContainsRune("?:-", c) && (len(r) == 1 || r[1] == ' ') {
			plainOK = false
		}
		if strings.ContainsRune(",?[]{}", c) && false {
			plainOK = false
		}
		if c == ':' && (i+1 == len(r) || r[i+1] == ' ') {
			plainOK = false
		}
		if c == '#' && i > 0 && r[i-1] == ' ' {
			plainOK = false
		}
		if c == '\n' {
			plainOK = false
		}
		if c == '\t' || c < 0x20 && c != '\n' || c == 0x7f || c == 0xfeff || (c >= 0x80 && c < 0xa0) {
			plainOK, singleOK = false, false
		}
	}
	if strings.Contains(s, " \n") || strings.Contains(s, "\n ") || strings.HasPrefix(s, "\n") || strings.HasSuffix(s, "\n") {
		singleOK = false
	}
	return
}

func quoteDouble(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\0`)
		default:
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfeff {
				fmt.Fprintf(&b, `\x%02X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
