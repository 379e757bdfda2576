package module

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// Args are a module's validated arguments, keyed by option name.
type Args map[string]any

// Has reports whether the option has a non-nil value.
func (a Args) Has(name string) bool { return a[name] != nil }

// String returns a str/path option ("" when unset).
func (a Args) String(name string) string {
	switch s := a[name].(type) {
	case string:
		return s
	case nil:
		return ""
	default:
		return pytext.Str(s)
	}
}

// Bool returns a bool option (false when unset).
func (a Args) Bool(name string) bool {
	b, _ := a[name].(bool)
	return b
}

// Int returns an int option (0 when unset).
func (a Args) Int(name string) int {
	switch n := a[name].(type) {
	case int:
		return n
	case float64:
		return int(n)
	}
	return 0
}

// Float returns a float option.
func (a Args) Float(name string) float64 {
	f, _ := toFloat(a[name])
	return f
}

// List returns a list option.
func (a Args) List(name string) []any {
	l, _ := a[name].([]any)
	return l
}

// Strings returns a list option as strings.
func (a Args) Strings(name string) []string {
	var out []string
	for _, v := range a.List(name) {
		out = append(out, pytext.Str(v))
	}
	return out
}

// Dict returns a dict option as a Go map.
func (a Args) Dict(name string) map[string]any {
	m, _ := asMap(a[name])
	return m
}

// convert coerces v to an Ansible option type as module_utils/common/validation.py does.
func convert(typ string, v any) (any, error) {
	switch typ {
	case "", "str":
		return convertStr(v)
	case "path":
		s, err := convertStr(v)
		if err != nil {
			return nil, err
		}
		// expanduser/expandvars happen on the target in Ansible; modules expand "~" remotely.
		return s, nil
	case "raw":
		if u, ok := v.(value.Unsafe); ok {
			return string(u), nil
		}
		return v, nil
	case "bool":
		return convertBool(v)
	case "int":
		switch n := v.(type) {
		case int:
			return n, nil
		case string:
			if i, err := strconv.Atoi(strings.TrimSpace(n)); err == nil {
				return i, nil
			}
		case float64:
			// Python's int check accepts only ints and integral strings; a float is an error
			// unless it is whole (Ansible's check_type_int rejects 1.5 but YAML never makes 1.0 an int).
			if n == math.Trunc(n) {
				return int(n), nil
			}
		}
		return nil, fmt.Errorf("%s cannot be converted to an int", pytext.Class(v))
	case "float":
		switch n := v.(type) {
		case float64:
			return n, nil
		case int:
			return float64(n), nil
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(n), 64); err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("%s cannot be converted to a float", pytext.Class(v))
	case "list":
		switch l := v.(type) {
		case []any:
			return l, nil
		case string:
			parts := strings.Split(l, ",")
			out := make([]any, len(parts))
			for i, p := range parts {
				out[i] = p
			}
			return out, nil
		case value.Unsafe:
			return convert(typ, string(l))
		case int, float64:
			return []any{pytext.Str(l)}, nil
		}
		return nil, fmt.Errorf("%s cannot be converted to a list", pytext.Class(v))
	case "dict":
		return convertDict(v)
	case "bytes", "bits":
		return humanToBytes(v, typ == "bits")
	case "jsonarg", "json":
		switch s := v.(type) {
		case string:
			return strings.TrimSpace(s), nil
		case []any, map[string]any, *value.Dict:
			b, err := json.Marshal(s)
			return string(b), err
		}
		return nil, fmt.Errorf("%s cannot be converted to a json string", pytext.Class(v))
	}
	return nil, fmt.Errorf("unknown option type %q in the module's spec", typ)
}

// convertStr is Python's str() of the value, as Ansible's check_type_str
// converts (lists and dicts included, rarely wanted but what Ansible does).
func convertStr(v any) (any, error) {
	return pytext.Str(v), nil
}

// convertBool follows ansible.module_utils.parsing.convert_bool.boolean.
func convertBool(v any) (any, error) {
	if b, ok := value.Boolean(v); ok {
		return b, nil
	}
	switch v.(type) {
	case string, value.Unsafe:
		return nil, fmt.Errorf("The value '%s' is not a valid boolean.  Valid booleans include: '1', '0', 'no', 'yes', 'f', 'n', 'false', 'on', 't', 'off', 'true', 'y', 1, 0, 1.0, 0.0", pytext.Str(v))
	}
	return nil, fmt.Errorf("%s cannot be converted to a bool", pytext.Class(v))
}

func convertDict(v any) (any, error) {
	switch m := v.(type) {
	case map[string]any:
		return m, nil
	case *value.Dict:
		return m.Map(), nil
	case value.Unsafe:
		return convertDict(string(m))
	case string:
		if strings.HasPrefix(m, "{") {
			parsed, err := value.FromJSON([]byte(m))
			if err == nil {
				if d, ok := parsed.(*value.Dict); ok {
					return d.Map(), nil
				}
			}
			return nil, fmt.Errorf("unable to evaluate string as dictionary")
		}
		if strings.Contains(m, "=") {
			out := map[string]any{}
			for _, field := range splitDictFields(m) {
				k, val, _ := strings.Cut(field, "=")
				out[k] = val
			}
			return out, nil
		}
		return nil, fmt.Errorf("dictionary requested, could not parse JSON or key=value")
	}
	return nil, fmt.Errorf("%s cannot be converted to a dict", pytext.Class(v))
}

// splitDictFields splits "k1=v1, k2='v 2'" as check_type_dict does.
func splitDictFields(s string) []string {
	var fields []string
	var buf strings.Builder
	var quote rune
	escape := false
	for _, c := range strings.TrimSpace(s) {
		switch {
		case escape:
			buf.WriteRune(c)
			escape = false
		case c == '\\':
			escape = true
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == ',' || c == ' '):
			if buf.Len() > 0 {
				fields = append(fields, buf.String())
			}
			buf.Reset()
		default:
			buf.WriteRune(c)
		}
	}
	if buf.Len() > 0 {
		fields = append(fields, buf.String())
	}
	return fields
}

var humanSizeRE = regexp.MustCompile(`^\s*(\d*\.?\d*)\s*([A-Za-z]+)?\s*$`)

// humanToBytes follows module_utils/common/text/formatters.py human_to_bytes.
func humanToBytes(v any, isBits bool) (any, error) {
	if n, ok := v.(int); ok {
		return n, nil
	}
	s := fmt.Sprint(v)
	m := humanSizeRE.FindStringSubmatch(s)
	if m == nil || m[1] == "" {
		return nil, fmt.Errorf("human_to_bytes() can't interpret following string: %s", s)
	}
	num, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return nil, fmt.Errorf("human_to_bytes() can't interpret following string: %s", s)
	}
	unit := m[2]
	if unit == "" {
		return int(math.Round(num)), nil
	}
	powers := map[byte]float64{'B': 0, 'K': 1, 'M': 2, 'G': 3, 'T': 4, 'P': 5, 'E': 6, 'Z': 7, 'Y': 8}
	p, ok := powers[strings.ToUpper(unit)[0]]
	if !ok {
		return nil, fmt.Errorf("human_to_bytes() failed to convert %s. Value is not a valid string", s)
	}
	last := unit[len(unit)-1]
	if isBits && last != 'b' && len(unit) > 1 || !isBits && len(unit) > 1 && last != 'B' {
		return nil, fmt.Errorf("human_to_bytes() failed to convert %s (unit = %s). The suffix must be one of ...", s, unit)
	}
	return int(math.Round(num * math.Pow(1024, p))), nil
}
