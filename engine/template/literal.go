package template

import (
	"fmt"
	"strings"

	"gorun/engine/value"
)

// literalEval parses Python literal syntax (lists, dicts, tuples, strings,
// numbers, True/False/None, and JSON's true/false/null) as Ansible's
// ast.literal_eval step does. ok is false when s is not a literal.
func literalEval(s string) (v any, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = nil, false
		}
	}()
	x, err := parseExpression(s)
	if err != nil {
		return nil, false
	}
	return literalValue(x)
}

func literalValue(x expr) (any, bool) {
	switch x := x.(type) {
	case *constExpr:
		return x.v, true
	case *nameExpr:
		switch x.name {
		case "null":
			return nil, true
		case "true":
			return true, true
		case "false":
			return false, true
		}
		return nil, false
	case *unaryExpr:
		v, ok := literalValue(x.x)
		if !ok || (x.op != "-" && x.op != "+") || !isNumber(v) {
			return nil, false
		}
		if _, isBool := v.(bool); isBool {
			return nil, false
		}
		r, err := unaryOp(x.op, v)
		return r, err == nil
	case *listExpr:
		out := make([]any, 0, len(x.items))
		for _, it := range x.items {
			v, ok := literalValue(it)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case *tupleExpr:
		out := make(tuple, 0, len(x.items))
		for _, it := range x.items {
			v, ok := literalValue(it)
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case *dictExpr:
		d := value.NewDict(len(x.keys))
		for i := range x.keys {
			k, ok := literalValue(x.keys[i])
			if !ok {
				return nil, false
			}
			switch k.(type) {
			case []any, *value.Dict:
				return nil, false
			}
			v, ok := literalValue(x.vals[i])
			if !ok {
				return nil, false
			}
			d.Set(keyString(k), v)
		}
		return d, true
	}
	return nil, false
}

// applyOverrides reads a `#jinja2: key: value, ...` first line into syn and
// returns the source without it.
func applyOverrides(src string, syn *syntax) (string, error) {
	eol := strings.IndexByte(src, '\n')
	line, rest := src, ""
	if eol >= 0 {
		line, rest = src[:eol], src[eol+1:]
	}
	line = strings.TrimPrefix(line, "#jinja2:")
	for _, pair := range strings.Split(line, ",") {
		k, v, ok := strings.Cut(pair, ":")
		if !ok {
			return src, fmt.Errorf("failed to parse jinja2 override '%s'. Did you use something different from colon as key-value separator?", strings.TrimSpace(pair))
		}
		k = strings.TrimSpace(k)
		val, ok := literalEval(strings.TrimSpace(v))
		if !ok {
			return src, fmt.Errorf("failed to parse jinja2 override value '%s'", strings.TrimSpace(v))
		}
		// Jinja tests these options by truthiness: lstrip_blocks: "true" (a
		// string, as real roles write it) turns the option on.
		b, _ := truthy(val)
		s, _ := val.(string)
		switch k {
		case "trim_blocks":
			syn.trimBlocks = b
		case "lstrip_blocks":
			syn.lstripBlocks = b
		case "keep_trailing_newline":
			syn.keepTrailingNewline = b
		case "newline_sequence":
			syn.newline = s
		case "variable_start_string":
			syn.varStart = s
		case "variable_end_string":
			syn.varEnd = s
		case "block_start_string":
			syn.blockStart = s
		case "block_end_string":
			syn.blockEnd = s
		case "comment_start_string":
			syn.commentStart = s
		case "comment_end_string":
			syn.commentEnd = s
		default:
			return src, fmt.Errorf("unsupported jinja2 override '%s'", k)
		}
	}
	return rest, nil
}
