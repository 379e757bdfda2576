package template

import (
	"fmt"
	"strings"

	"gorun/engine/value"
)

// Filters that reshape dicts and lists (combine, dict2items, flatten, ...).

func init() {
	register("combine", filterCombine)
	register("dict2items", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("dict2items", a, kw, "key_name", "value_name")
		if err != nil {
			return nil, err
		}
		if !isMapping(v) {
			return nil, fmt.Errorf("dict2items requires a dictionary, got %s instead.", pyClass(v))
		}
		kn, vn := argStr(p[0], "key"), argStr(p[1], "value")
		out := []any{}
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			out = append(out, value.DictOf(kn, k, vn, x))
		}
		return out, nil
	})
	register("items2dict", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("items2dict", a, kw, "key_name", "value_name")
		if err != nil {
			return nil, err
		}
		items, ok := asList(v)
		if !ok {
			return nil, fmt.Errorf("items2dict requires a list, got %s instead.", pyClass(v))
		}
		kn, vn := argStr(p[0], "key"), argStr(p[1], "value")
		d := value.NewDict()
		for _, it := range items {
			if !isMapping(it) {
				return nil, fmt.Errorf("items2dict requires a list of dictionaries, got %s instead.", pyClass(it))
			}
			k, ok1 := mapGet(it, kn)
			x, ok2 := mapGet(it, vn)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("items2dict requires each dictionary in the list to contain the keys '%s' and '%s', got %s instead.", kn, vn, ToText(it)+"")
			}
			d.Set(keyString(k), x)
		}
		return d, nil
	})
	register("flatten", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("flatten", a, kw, "levels", "skip_nulls")
		if err != nil {
			return nil, err
		}
		items, ok := asList(v)
		if !ok {
			return nil, fmt.Errorf("flatten expects a list")
		}
		levels := -1
		if given(p[0]) && p[0] != nil {
			levels, _ = toInt(p[0])
		}
		return flatten(items, levels, argBool(p[1], true)), nil
	})
	register("extract", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("extract", a, kw, "container", "morekeys")
		if err != nil {
			return nil, err
		}
		r, err := ev.getitem(p[0], v)
		if err != nil {
			return nil, err
		}
		if given(p[1]) && p[1] != nil {
			keys := []any{p[1]}
			if l, ok := asList(p[1]); ok {
				keys = l
			}
			for _, k := range keys {
				if r, err = ev.getitem(r, k); err != nil {
					return nil, err
				}
			}
		}
		return r, nil
	})
	register("subelements", filterSubelements)
}

func filterCombine(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	recursive := false
	listMerge := "replace"
	for _, k := range kw.Keys() {
		x, _ := kw.Get(k)
		switch k {
		case "recursive":
			recursive = argBool(x, false)
		case "list_merge":
			listMerge = ToText(x)
		default:
			return nil, fmt.Errorf("'recursive' and 'list_merge' are the only valid keyword arguments")
		}
	}
	terms := append([]any{v}, a...)
	var dicts []any
	for _, t := range terms {
		if l, ok := asList(t); ok {
			dicts = append(dicts, l...)
		} else {
			dicts = append(dicts, t)
		}
	}
	for _, d := range dicts {
		if u := findUndefined(d); u != nil {
			return nil, u.err()
		}
		if !isMapping(d) {
			return nil, fmt.Errorf("failed to combine variables, expected dicts but got a '%s' and a '%s': \n%s\n%s", typeName(dicts[0]), typeName(d), ToText(dicts[0]), ToText(d))
		}
	}
	if len(dicts) == 0 {
		return value.NewDict(), nil
	}
	result := toDict(dicts[0])
	for _, d := range dicts[1:] {
		var err error
		if result, err = mergeHash(result, d, recursive, listMerge); err != nil {
			return nil, err
		}
	}
	return result, nil
}

// MergeHash is Ansible's merge_hash(a, b) with its defaults (recursive,
// lists replaced): b's entries win, mappings merge recursively. The runner
// uses it for set_stats aggregation, as Ansible's AggregateStats does.
func MergeHash(a, b *value.Dict) *value.Dict {
	out, _ := mergeHash(a, b, true, "replace") // "replace" is valid: no error
	return out
}

// mergeHash is Ansible's merge_hash: b's entries win over a's.
func mergeHash(a *value.Dict, b any, recursive bool, listMerge string) (*value.Dict, error) {
	switch listMerge {
	case "replace", "keep", "append", "prepend", "append_rp", "prepend_rp":
	default:
		return nil, fmt.Errorf("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'")
	}
	out := a.Copy()
	for _, k := range mapKeys(b) {
		bv, _ := mapGet(b, k)
		av, exists := out.Get(k)
		if !exists {
			out.Set(k, bv)
			continue
		}
		if recursive && isMapping(av) && isMapping(bv) {
			m, err := mergeHash(toDict(av), bv, recursive, listMerge)
			if err != nil {
				return nil, err
			}
			out.Set(k, m)
			continue
		}
		al, aok := asList(av)
		bl, bok := asList(bv)
		if aok && bok {
			switch listMerge {
			case "keep":
				continue
			case "append":
				out.Set(k, append(deepCopyList(al), bl...))
				continue
			case "prepend":
				out.Set(k, append(deepCopyList(bl), al...))
				continue
			case "append_rp":
				var kept []any
				for _, x := range al {
					if !listHas(bl, x) {
						kept = append(kept, x)
					}
				}
				out.Set(k, append(kept, bl...))
				continue
			case "prepend_rp":
				res := deepCopyList(bl)
				for _, x := range al {
					if !listHas(bl, x) {
						res = append(res, x)
					}
				}
				out.Set(k, res)
				continue
			}
		}
		out.Set(k, bv)
	}
	return out, nil
}

func listHas(l []any, x any) bool {
	for _, y := range l {
		if equal(x, y) {
			return true
		}
	}
	return false
}

func flatten(items []any, levels int, skipNulls bool) []any {
	out := []any{}
	for _, it := range items {
		if skipNulls && (it == nil || it == "None") {
			continue
		}
		if l, ok := asList(it); ok {
			if levels == 0 {
				out = append(out, it)
			} else {
				next := levels - 1
				if levels < 0 {
					next = -1
				}
				out = append(out, flatten(l, next, skipNulls)...)
			}
			continue
		}
		out = append(out, it)
	}
	return out
}

func filterSubelements(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
	p, err := bind("subelements", a, kw, "subelements", "skip_missing")
	if err != nil {
		return nil, err
	}
	var items []any
	if isMapping(v) {
		for _, k := range mapKeys(v) {
			x, _ := mapGet(v, k)
			items = append(items, x)
		}
	} else if l, ok := asList(v); ok {
		items = l
	} else {
		return nil, fmt.Errorf("obj must be a list of dicts or a nested dict")
	}
	var keys []string
	if s, ok := asString(p[0]); ok {
		keys = strings.Split(s, ".")
	} else if l, ok := asList(p[0]); ok {
		for _, x := range l {
			keys = append(keys, ToText(x))
		}
	} else {
		return nil, fmt.Errorf("subelements must be a list or a string")
	}
	skip := argBool(p[1], false)
	out := []any{}
	for _, el := range items {
		cur := el
		ok := true
		for i, k := range keys {
			x, found := mapGet(cur, k)
			if !found {
				if skip {
					ok = false
					break
				}
				return nil, fmt.Errorf("could not find '%s' key in iterated item '%s'", k, ToText(cur))
			}
			cur = x
			_ = i
		}
		if !ok {
			continue
		}
		sub, isList := asList(cur)
		if !isList {
			return nil, fmt.Errorf("the key %s should point to a list, got '%s'", keys[len(keys)-1], ToText(cur))
		}
		for _, s := range sub {
			out = append(out, tuple{el, s})
		}
	}
	return out, nil
}
