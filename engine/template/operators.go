package template

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
)

// Python semantics of Jinja operators: arithmetic, comparison, concatenation.

func unaryOp(op string, v any) (any, error) {
	if u, ok := v.(*undefined); ok {
		return nil, u.err()
	}
	switch op {
	case "not":
		t, err := truthy(v)
		return !t, err
	case "-":
		switch n := v.(type) {
		case int:
			return -n, nil
		case float64:
			return -n, nil
		case bool:
			if n {
				return -1, nil
			}
			return 0, nil
		}
		return nil, fmt.Errorf("bad operand type for unary -: '%s'", typeName(v))
	case "+":
		if isNumber(v) {
			return v, nil
		}
		return nil, fmt.Errorf("bad operand type for unary +: '%s'", typeName(v))
	}
	return nil, fmt.Errorf("unknown operator %s", op)
}

func compareOp2(op string, l, r any) (bool, error) {
	switch op {
	case "eq", "ne":
		if u, ok := l.(*undefined); ok {
			return false, u.err()
		}
		if u, ok := r.(*undefined); ok {
			return false, u.err()
		}
		return equal(l, r) == (op == "eq"), nil
	case "in", "notin":
		if u, ok := l.(*undefined); ok {
			return false, u.err()
		}
		c, err := contains(r, l)
		return c == (op == "in"), err
	}
	c, err := compare(l, r)
	if err != nil {
		sym := map[string]string{"lt": "<", "gt": ">", "lteq": "<=", "gteq": ">="}[op]
		if _, ok := err.(*UndefinedError); !ok {
			return false, fmt.Errorf("'%s' not supported between instances of '%s' and '%s'", sym, typeName(l), typeName(r))
		}
		return false, err
	}
	switch op {
	case "lt":
		return c < 0, nil
	case "gt":
		return c > 0, nil
	case "lteq":
		return c <= 0, nil
	}
	return c >= 0, nil
}

func binaryOp(op string, l, r any) (any, error) {
	if u, ok := l.(*undefined); ok {
		return nil, u.err()
	}
	if u, ok := r.(*undefined); ok {
		return nil, u.err()
	}
	l, r = plain(l), plain(r)
	if res, ok, err := datetimeOp(op, l, r); ok {
		return res, err
	}
	if op == "~" {
		ls, err := outputText(l)
		if err != nil {
			return nil, err
		}
		if l == nil {
			ls = "None"
		}
		rs, err := outputText(r)
		if err != nil {
			return nil, err
		}
		if r == nil {
			rs = "None"
		}
		return ls + rs, nil
	}
	if op == "%" {
		if s, ok := l.(string); ok {
			return pyPercent(s, r)
		}
	}
	li, lInt := l.(int)
	ri, rInt := r.(int)
	if lb, ok := l.(bool); ok {
		li, lInt = b2i(lb), true
	}
	if rb, ok := r.(bool); ok {
		ri, rInt = b2i(rb), true
	}
	if lInt && rInt {
		if r, ok := bigIntOp(op, li, ri); ok {
			if r == errTooBig {
				return nil, fmt.Errorf("integer result too large")
			}
			return r, nil
		}
		switch op {
		case "+":
			return li + ri, nil
		case "-":
			return li - ri, nil
		case "*":
			return li * ri, nil
		case "/":
			if ri == 0 {
				return nil, fmt.Errorf("division by zero")
			}
			return float64(li) / float64(ri), nil
		case "//":
			if ri == 0 {
				return nil, fmt.Errorf("integer division or modulo by zero")
			}
			return floorDiv(li, ri), nil
		case "%":
			if ri == 0 {
				return nil, fmt.Errorf("integer division or modulo by zero")
			}
			return li - floorDiv(li, ri)*ri, nil
		case "**":
			if ri >= 0 {
				switch li {
				case 0:
					if ri == 0 {
						return 1, nil
					}
					return 0, nil
				case 1:
					return 1, nil
				case -1:
					if ri%2 == 0 {
						return 1, nil
					}
					return -1, nil
				}
				// bigIntOp took the results that overflow, so ri is small here.
				res := 1
				for i := 0; i < ri; i++ {
					res *= li
				}
				return res, nil
			}
			return pyPow(float64(li), float64(ri)), nil
		}
	}
	lf, lNum := toFloat(l)
	rf, rNum := toFloat(r)
	if lNum && rNum {
		switch op {
		case "+":
			return lf + rf, nil
		case "-":
			return lf - rf, nil
		case "*":
			return lf * rf, nil
		case "/":
			if rf == 0 {
				return nil, fmt.Errorf("float division by zero")
			}
			return lf / rf, nil
		case "//":
			if rf == 0 {
				return nil, fmt.Errorf("float floor division by zero")
			}
			return math.Floor(lf / rf), nil
		case "%":
			if rf == 0 {
				return nil, fmt.Errorf("float modulo")
			}
			m := math.Mod(lf, rf)
			if m != 0 && (m < 0) != (rf < 0) {
				m += rf
			}
			return m, nil
		case "**":
			return pyPow(lf, rf), nil
		}
	}
	switch op {
	case "+":
		if ls, ok := l.(string); ok {
			if rs, ok := r.(string); ok {
				return ls + rs, nil
			}
			return nil, fmt.Errorf("can only concatenate str (not \"%s\") to str", typeName(r))
		}
		_, lt := l.(tuple)
		ll, lok := asList(l)
		rl, rok := asList(r)
		_, rt := r.(tuple)
		if lok && rok && lt == rt {
			out := make([]any, 0, len(ll)+len(rl))
			out = append(append(out, ll...), rl...)
			if lt {
				return tuple(out), nil
			}
			return out, nil
		}
		if lok {
			return nil, fmt.Errorf("can only concatenate %s (not \"%s\") to %s", typeName(l), typeName(r), typeName(l))
		}
	case "*":
		if s, ok := l.(string); ok && rInt {
			return repeatString(s, ri)
		}
		if s, ok := r.(string); ok && lInt {
			return repeatString(s, li)
		}
		if ll, ok := asList(l); ok && rInt {
			if ri > 0 && len(ll)*ri > maxResult {
				return nil, fmt.Errorf("result too large")
			}
			out := []any{}
			for i := 0; i < ri; i++ {
				out = append(out, ll...)
			}
			return out, nil
		}
	}
	sym := op
	return nil, fmt.Errorf("unsupported operand type(s) for %s: '%s' and '%s'", sym, typeName(l), typeName(r))
}

func bigIntOp(op string, a, b int) (any, bool) {
	x, y := big.NewInt(int64(a)), big.NewInt(int64(b))
	var r *big.Int
	switch op {
	case "+":
		r = new(big.Int).Add(x, y)
	case "-":
		r = new(big.Int).Sub(x, y)
	case "*":
		r = new(big.Int).Mul(x, y)
	case "**":
		if b < 0 || a == 0 || a == 1 || a == -1 {
			return nil, false
		}
		if b > 100000 {
			return errTooBig, true
		}
		r = new(big.Int).Exp(x, y, nil)
	default:
		return nil, false
	}
	if r.IsInt64() {
		return nil, false
	}
	return r, true
}

var errTooBig = errors.New("too big")

const maxResult = 1 << 26

func repeatString(s string, n int) (any, error) {
	if n <= 0 {
		return "", nil
	}
	if len(s)*n > maxResult || len(s)*n < 0 {
		return nil, fmt.Errorf("result too large")
	}
	return strings.Repeat(s, n), nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
