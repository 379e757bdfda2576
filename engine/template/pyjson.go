package template

import (
	"fmt"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// toJSON is Python's json.dumps as Ansible's to_json/to_nice_json call it.
// indent < 0 means single-line with ", " and ": " separators. Vaulted
// values are written as text, as AnsibleJSONEncoder's vault_to_text does
// (the text here is the ciphertext: templates do not decrypt).
func toJSON(v any, indent int, sortKeys bool, ensureASCII bool) (string, error) {
	return pytext.JSON{Indent: indent, SortKeys: sortKeys, ASCII: ensureASCII, VaultText: true, Default: templateJSON}.Dumps(v)
}

// templateJSON is the encoder's default() for the template engine's own
// values: lazy values are resolved, mappings other than dicts read
// through, undefined values fail, dates take isoformat; tuples and
// NativeJinjaText are written by their Go kind (a list, a string).
func templateJSON(v any) (any, bool, error) {
	switch x := v.(type) {
	case Lazy:
		return resolveLazy(x), true, nil
	case *undefined:
		return nil, false, x.err()
	case pyDatetime:
		return strings.Replace(x.String(), " ", "T", 1), true, nil
	case Mapping:
		d := value.NewDict()
		for _, k := range mapKeys(x) {
			it, _ := mapGet(x, k)
			d.Set(k, it)
		}
		return d, true, nil
	case tuple, nativeText:
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("Object of type %s is not JSON serializable", typeName(v))
}
