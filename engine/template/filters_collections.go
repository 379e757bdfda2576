package template

import (
	"fmt"
	"math"

	"github.com/jmespath/go-jmespath"

	"gorun/engine/value"
)

// Filters from community.general that roles commonly use.

func init() {
	register("dict_kv", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("dict_kv", a, kw, "key")
		if err != nil {
			return nil, err
		}
		if !given(p[0]) {
			return nil, fmt.Errorf("dict_kv() missing required argument: 'key'")
		}
		return value.DictOf(keyString(p[0]), v), nil
	})
	register("json_query", func(ev *evaluator, v any, a []any, kw *value.Dict) (any, error) {
		p, err := bind("json_query", a, kw, "expr")
		if err != nil {
			return nil, err
		}
		res, err := jmespath.Search(argStr(p[0], ""), toJMES(v))
		if err != nil {
			return nil, fmt.Errorf("JMESPathError in json_query filter plugin:\n%v", err)
		}
		return fromJMES(res), nil
	})
}

// toJMES converts the data model to what go-jmespath reads: Go maps and float64 numbers.
func toJMES(v any) any {
	switch x := resolveLazy(v).(type) {
	case int:
		return float64(x)
	case value.Unsafe:
		return string(x)
	case []any, tuple:
		l, _ := asList(x)
		out := make([]any, len(l))
		for i, it := range l {
			out[i] = toJMES(it)
		}
		return out
	case *value.Dict, map[string]any, Mapping:
		m := map[string]any{}
		for _, k := range mapKeys(x) {
			it, _ := mapGet(x, k)
			m[k] = toJMES(it)
		}
		return m
	}
	return v
}

// fromJMES converts go-jmespath results back: integral numbers become int again.
func fromJMES(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int(x)
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = fromJMES(it)
		}
		return out
	case map[string]any:
		d := value.NewDict(len(x))
		for _, k := range value.Keys(x) {
			d.Set(k, fromJMES(x[k]))
		}
		return d
	}
	return v
}
