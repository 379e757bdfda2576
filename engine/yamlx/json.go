package yamlx

import (
	"encoding/json"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"gorun/engine/value"
)

// jsonScalar types an unquoted scalar of a JSON document as json.loads
// does: true, false, null, and numbers, which are floats when they have a
// fraction or an exponent.
func jsonScalar(s string) any {
	switch s {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.Atoi(s); err == nil {
			return i
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return Resolve(s)
}

// jsonTagged decodes the objects AnsibleJSONDecoder's object_hook turns
// into values: one whose keys include __ansible_vault is that vaulted
// text, one with __ansible_unsafe that value marked unsafe (the first such
// key wins, as the hook returns at it).
func (dc *decoder) jsonTagged(n *yaml.Node) (any, bool, error) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "__ansible_vault":
			v, err := dc.node(n.Content[i+1])
			if err != nil {
				return nil, true, err
			}
			s, ok := v.(string)
			if !ok {
				return nil, true, dc.errorf(n.Content[i+1], "__ansible_vault must be a string")
			}
			return value.Vaulted{Ciphertext: s}, true, nil
		case "__ansible_unsafe":
			v, err := dc.node(n.Content[i+1])
			if err != nil {
				return nil, true, err
			}
			return markUnsafe(v), true, nil
		}
	}
	return nil, false, nil
}

// isJSON reports whether data is one JSON value, as json.loads accepts it.
func isJSON(data []byte) bool { return json.Valid(data) }
