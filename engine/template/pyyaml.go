package template

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// toYAML emits YAML as PyYAML's yaml.dump does with Ansible's dumper: sorted
// keys, flow style for scalar-only collections when flow is true (to_yaml's
// default_flow_style=None), indentless sequences under mapping keys,
// PyYAML's scalar quoting and its line folding past 80 columns.
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
	if u := findUndefined(v); u != nil {
		return "", u.err()
	}
	y := &yamlEmitter{indent: indent, flow: flow, width: width, sortKeys: sortKeys}
	var err error
	switch v = resolveLazy(v); {
	case y.isBlock(v) && isMapping(v):
		err = y.mapping(v, 0, false)
	case y.isBlock(v):
		err = y.sequence(v, 0, false)
	default:
		err = y.inline(v, 0)
	}
	if err != nil {
		return "", err
	}
	return y.b.String() + "\n", nil
}

type yamlEmitter struct {
	b        strings.Builder
	indent   int
	flow     bool
	width    int
	sortKeys bool
	col      int
	// flowLevel counts the flow collections ([...], {...}) being written.
	flowLevel int
}

func (y *yamlEmitter) write(s string) {
	y.b.WriteString(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		y.col = len([]rune(s[i+1:]))
	} else {
		y.col += len([]rune(s))
	}
}

func (y *yamlEmitter) newline(col int) { y.write("\n" + strings.Repeat(" ", col)) }

func (y *yamlEmitter) keys(m any) []string {
	k := append([]string(nil), mapKeys(m)...)
	if y.sortKeys {
		sort.Strings(k)
	}
	return k
}

// isBlock reports whether v is written as a block collection: non-empty, and
// not a scalar-only collection when flow style is on.
func (y *yamlEmitter) isBlock(v any) bool {
	if !isMapping(v) && !isListLike(v) || mapOrListEmpty(v) {
		return false
	}
	return !(y.flow && scalarsOnly(v))
}

func isListLike(v any) bool { _, ok := asList(v); return ok }

func scalarsOnly(v any) bool {
	var items []any
	if isMapping(v) {
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			items = append(items, x)
		}
	} else {
		items, _ = asList(v)
	}
	for _, x := range items {
		if isMapping(x) || isListLike(x) {
			return false
		}
	}
	return true
}

func mapOrListEmpty(v any) bool {
	if isMapping(v) {
		return mapLen(v) == 0
	}
	l, ok := asList(v)
	return ok && len(l) == 0
}

// mapping writes a block mapping whose keys sit at column col; inline means
// the first key continues the current line (after a sequence dash).
func (y *yamlEmitter) mapping(m any, col int, inline bool) error {
	for i, k := range y.keys(m) {
		if i > 0 || !inline && y.b.Len() > 0 {
			y.newline(col)
		}
		if err := y.scalar(k, col, true); err != nil {
			return err
		}
		y.write(":")
		x, _ := mapGet(m, k)
		x = resolveLazy(x)
		switch {
		case y.isBlock(x) && isMapping(x):
			y.newline(col + y.indent)
			if err := y.mapping(x, col+y.indent, true); err != nil {
				return err
			}
		case y.isBlock(x):
			// PyYAML writes sequences under a key without extra indentation
			if err := y.sequence(x, col, false); err != nil {
				return err
			}
		default:
			y.write(" ")
			if err := y.inline(x, col+y.indent); err != nil {
				return err
			}
		}
	}
	return nil
}

// sequence writes a block sequence whose dashes sit at column col.
func (y *yamlEmitter) sequence(v any, col int, inline bool) error {
	l, _ := asList(v)
	for i, x := range l {
		if i > 0 || !inline && y.b.Len() > 0 {
			y.newline(col)
		}
		x = resolveLazy(x)
		if !y.isBlock(x) {
			y.write("- ")
			if err := y.inline(x, col+y.indent); err != nil {
				return err
			}
			continue
		}
		y.write("-" + strings.Repeat(" ", y.indent-1))
		var err error
		if isMapping(x) {
			err = y.mapping(x, col+y.indent, true)
		} else {
			err = y.sequence(x, col+y.indent, true)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// inline writes a scalar or a flow collection; col is the indentation of continuation lines.
func (y *yamlEmitter) inline(v any, col int) error {
	v = resolveLazy(v)
	if isMapping(v) || isListLike(v) {
		y.flowLevel++
		defer func() { y.flowLevel-- }()
	}
	if isMapping(v) {
		y.write("{")
		for i, k := range y.keys(v) {
			if i > 0 {
				y.write(",")
				y.flowBreak(col)
			}
			if err := y.scalar(k, col, true); err != nil {
				return err
			}
			y.write(": ")
			x, _ := mapGet(v, k)
			if err := y.inline(x, col); err != nil {
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
				y.write(",")
				y.flowBreak(col)
			}
			if err := y.inline(x, col); err != nil {
				return err
			}
		}
		y.write("]")
		return nil
	}
	return y.scalar(v, col, false)
}

// flowBreak separates flow items: a space, or a new line past the width.
func (y *yamlEmitter) flowBreak(col int) {
	if y.col > y.width {
		y.newline(col)
		return
	}
	y.write(" ")
}

var yamlImplicit = regexp.MustCompile(`^(?:~|null|Null|NULL|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|=|` +
	`[-+]?(?:0|[1-9][0-9_]*)|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|` +
	`[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|` +
	`[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?)$`)

func (y *yamlEmitter) scalar(v any, col int, simpleKey bool) error {
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
		y.str(x, col, simpleKey)
	default:
		return fmt.Errorf("cannot represent an object: %s", pyRepr(v))
	}
	return nil
}

// str chooses the scalar style as PyYAML's choose_scalar_style does.
func (y *yamlEmitter) str(s string, col int, simpleKey bool) {
	if s == "" {
		y.write("''")
		return
	}
	a := analyzeScalar(s)
	plainOK := a.blockPlain
	if y.flowLevel > 0 {
		plainOK = a.flowPlain
	}
	if yamlImplicit.MatchString(s) || simpleKey && a.multiline {
		plainOK = false
	}
	ind := strings.Repeat(" ", col)
	switch {
	case plainOK && simpleKey:
		y.write(s) // PyYAML never splits simple keys
	case plainOK:
		y.folded(s, ind, false)
	case a.single && !(simpleKey && a.multiline):
		y.write("'")
		y.folded(strings.ReplaceAll(s, "'", "''"), ind, true)
		y.write("'")
	default:
		y.write(quoteDouble(s))
	}
}

// folded writes text, turning a single space into a line break once the
// column is past the width (PyYAML's write_plain/write_single_quoted), and
// writing a line break of a quoted scalar as a blank line.
func (y *yamlEmitter) folded(s, ind string, quoted bool) {
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == ' ' && i > 0 && i < len(r)-1 && r[i-1] != ' ' && r[i+1] != ' ' && y.col > y.width:
			y.write("\n" + ind)
		case c == '\n' && quoted:
			y.write("\n\n" + ind)
		default:
			y.write(string(c))
		}
	}
}

// scalarAnalysis is what PyYAML's Emitter.analyze_scalar decides about a string.
type scalarAnalysis struct {
	multiline, flowPlain, blockPlain, single bool
}

// analyzeScalar is a port of PyYAML's Emitter.analyze_scalar (allow_unicode=True).
func analyzeScalar(s string) scalarAnalysis {
	r := []rune(s)
	isWS := func(c rune) bool { return strings.ContainsRune("\x00 \t\r\n\u0085\u2028\u2029", c) }
	isBreak := func(c rune) bool { return strings.ContainsRune("\n\u0085\u2028\u2029", c) }
	var blockInd, flowInd, lineBreaks, special, leadSpace, leadBreak, trailSpace, trailBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockInd, flowInd = true, true
	}
	preceded := true
	followed := len(r) == 1 || isWS(r[1])
	prevSpace, prevBreak := false, false
	for i, c := range r {
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", c) {
				flowInd, blockInd = true, true
			}
			if c == '?' || c == ':' {
				flowInd = true
				if followed {
					blockInd = true
				}
			}
			if c == '-' && followed {
				flowInd, blockInd = true, true
			}
		} else {
			if strings.ContainsRune(",?[]{}", c) {
				flowInd = true
			}
			if c == ':' {
				flowInd = true
				if followed {
					blockInd = true
				}
			}
			if c == '#' && preceded {
				flowInd, blockInd = true, true
			}
		}
		if isBreak(c) {
			lineBreaks = true
		}
		if !(c == '\n' || c >= 0x20 && c <= 0x7e) {
			printable := c == 0x85 || c >= 0xa0 && c <= 0xd7ff || c >= 0xe000 && c <= 0xfffd || c >= 0x10000 && c < 0x10ffff
			if !printable || c == 0xfeff {
				special = true
			}
		}
		switch {
		case c == ' ':
			if i == 0 {
				leadSpace = true
			}
			if i == len(r)-1 {
				trailSpace = true
			}
			if prevBreak {
				breakSpace = true
			}
			prevSpace, prevBreak = true, false
		case isBreak(c):
			if i == 0 {
				leadBreak = true
			}
			if i == len(r)-1 {
				trailBreak = true
			}
			if prevSpace {
				spaceBreak = true
			}
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		preceded = isWS(c)
		followed = i+2 >= len(r) || isWS(r[i+2])
	}
	a := scalarAnalysis{multiline: lineBreaks, flowPlain: true, blockPlain: true, single: true}
	if leadSpace || leadBreak || trailSpace || trailBreak {
		a.flowPlain, a.blockPlain = false, false
	}
	if breakSpace {
		a.flowPlain, a.blockPlain, a.single = false, false, false
	}
	if spaceBreak || special {
		a.flowPlain, a.blockPlain, a.single = false, false, false
	}
	if lineBreaks {
		a.flowPlain, a.blockPlain = false, false
	}
	if flowInd {
		a.flowPlain = false
	}
	if blockInd {
		a.blockPlain = false
	}
	return a
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
