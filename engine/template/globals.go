package template

import (
	"fmt"
	"time"

	"gorun/engine/value"
)

// globals are the functions and values every template sees (Jinja's and Ansible's).
var globals map[string]any

func init() {
	globals = map[string]any{
		"omit":      omitPlaceholder,
		"range":     fnValue(globalRange),
		"dict":      fnValue(globalDict),
		"namespace": fnValue(globalNamespace),
		"lipsum":    fnValue(globalLipsum),
		"cycler":    fnValue(globalCycler),
		"joiner":    fnValue(globalJoiner),
		"now":       fnValue(globalNow),
		"lookup":    fnValue(func(ev *evaluator, a []any, kw *value.Dict) (any, error) { return ev.lookupCall(a, kw, false) }),
		"query":     fnValue(func(ev *evaluator, a []any, kw *value.Dict) (any, error) { return ev.lookupCall(a, kw, true) }),
		"q":         fnValue(func(ev *evaluator, a []any, kw *value.Dict) (any, error) { return ev.lookupCall(a, kw, true) }),
		"undef": fnValue(func(ev *evaluator, a []any, kw *value.Dict) (any, error) {
			hint := "Mandatory variable has not been overridden"
			if len(a) > 0 {
				hint = ToText(a[0])
			}
			return &undefined{hint: hint}, nil
		}),
	}
}

func globalRange(_ *evaluator, a []any, _ *value.Dict) (any, error) {
	ints := make([]int, len(a))
	for i, x := range a {
		n, ok := x.(int)
		if !ok {
			if b, isB := x.(bool); isB {
				n, ok = b2i(b), true
			}
		}
		if !ok {
			return nil, fmt.Errorf("'%s' object cannot be interpreted as an integer", typeName(x))
		}
		ints[i] = n
	}
	start, stop, step := 0, 0, 1
	switch len(ints) {
	case 1:
		stop = ints[0]
	case 2:
		start, stop = ints[0], ints[1]
	case 3:
		start, stop, step = ints[0], ints[1], ints[2]
	default:
		return nil, fmt.Errorf("range expected at most 3 arguments, got %d", len(ints))
	}
	if step == 0 {
		return nil, fmt.Errorf("range() arg 3 must not be zero")
	}
	out := []any{}
	for i := start; (step > 0 && i < stop) || (step < 0 && i > stop); i += step {
		out = append(out, i)
		if len(out) > 10000000 {
			return nil, fmt.Errorf("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).")
		}
	}
	repr := fmt.Sprintf("range(%d, %d)", start, stop)
	if step != 1 {
		repr = fmt.Sprintf("range(%d, %d, %d)", start, stop, step)
	}
	return &rolled{items: out, repr: repr, typ: "range"}, nil
}

func globalDict(_ *evaluator, a []any, kw *value.Dict) (any, error) {
	d := value.NewDict()
	if len(a) > 0 {
		if isMapping(a[0]) {
			for _, k := range mapKeys(a[0]) {
				v, _ := mapGet(a[0], k)
				d.Set(k, v)
			}
		} else {
			items, err := iterate(a[0])
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				pair, ok := asList(it)
				if !ok || len(pair) != 2 {
					return nil, fmt.Errorf("dictionary update sequence element has wrong length")
				}
				d.Set(keyString(pair[0]), pair[1])
			}
		}
	}
	for _, k := range kw.Keys() {
		v, _ := kw.Get(k)
		d.Set(k, v)
	}
	return d, nil
}

func globalNamespace(ev *evaluator, a []any, kw *value.Dict) (any, error) {
	d, err := globalDict(ev, a, kw)
	if err != nil {
		return nil, err
	}
	return &namespace{d: d.(*value.Dict)}, nil
}

func globalCycler(_ *evaluator, a []any, _ *value.Dict) (any, error) {
	pos := 0
	ns := &namespace{d: value.NewDict()}
	ns.d.Set("next", fnValue(func(*evaluator, []any, *value.Dict) (any, error) {
		if len(a) == 0 {
			return nil, nil
		}
		v := a[pos%len(a)]
		pos++
		ns.d.Set("current", a[pos%len(a)])
		return v, nil
	}))
	ns.d.Set("reset", fnValue(func(*evaluator, []any, *value.Dict) (any, error) { pos = 0; return nil, nil }))
	if len(a) > 0 {
		ns.d.Set("current", a[0])
	}
	return ns, nil
}

func globalJoiner(_ *evaluator, a []any, _ *value.Dict) (any, error) {
	sep := ", "
	if len(a) > 0 {
		sep = ToText(a[0])
	}
	used := false
	return fnValue(func(*evaluator, []any, *value.Dict) (any, error) {
		if !used {
			used = true
			return "", nil
		}
		return sep, nil
	}), nil
}

func globalNow(_ *evaluator, a []any, kw *value.Dict) (any, error) {
	p, err := bind("now", a, kw, "utc", "fmt")
	if err != nil {
		return nil, err
	}
	t := time.Now()
	if argBool(p[0], false) {
		t = t.UTC()
	}
	if given(p[1]) && p[1] != nil {
		return strftime(argStr(p[1], ""), t), nil
	}
	return pyDatetime{t}, nil
}
