package output

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// NoIndent asks Dumps for Python's indent=None: everything on one line.
const NoIndent = pytext.NoIndent

// Dumps returns v as Python's json.dumps(v, indent=indent, sort_keys=sortKeys,
// ensure_ascii=False) writes it, with Ansible's AnsibleJSONEncoder for vaulted
// values. Callbacks print results this way, so the bytes must match.
//
// indent < 0 (NoIndent) is Python's indent=None: separators ", " and ": ".
// indent >= 0 puts every item on its own line, indent spaces per level, with
// separators "," and ": " (indent=0 still breaks lines, as Python does).
//
// Mappings are *value.Dict (insertion order unless sortKeys) and Go maps
// (always sorted, since Go maps have no order to keep).
func Dumps(v any, indent int, sortKeys bool) string {
	return dumps(v, pytext.JSON{Indent: indent, SortKeys: sortKeys})
}

// DumpsASCII is Dumps with Python's default ensure_ascii=True: every
// character outside printable ASCII is written as a \uXXXX escape.
func DumpsASCII(v any, indent int, sortKeys bool) string {
	return dumps(v, pytext.JSON{Indent: indent, SortKeys: sortKeys, ASCII: true})
}

// dumps writes v with resultDefault, which leaves no value unwritable.
func dumps(v any, o pytext.JSON) string {
	o.Default = resultDefault
	s, _ := o.Dumps(v)
	return s
}

// resultDefault is the encoder's default() for the Go values module
// results may hold: a callback must print them rather than fail the run.
// Dates are written as AnsibleJSONEncoder writes them (isoformat), errors
// and Stringers as their text, and values that are no JSON data (structs)
// in their Go JSON form.
func resultDefault(v any) (any, bool, error) {
	switch x := v.(type) {
	case time.Time:
		return x.Format("2006-01-02T15:04:05.999999"), true, nil
	case error:
		return x.Error(), true, nil
	case fmt.Stringer:
		return x.String(), true, nil
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Struct, reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v), true, nil
		}
		if j, err := value.FromJSON(b); err == nil {
			return j, true, nil
		}
		return string(b), true, nil
	}
	return nil, false, nil
}
