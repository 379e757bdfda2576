package pytext

import (
	"fmt"
	"math/big"

	"gorun/engine/value"
)

// Class is str(type(v)) in Python, as Ansible's messages show a value's
// type: "<class 'str'>", "<class 'int'>", "<class 'list'>", ... Types
// outside the data model show their Go name.
func Class(v any) string {
	name := fmt.Sprintf("%T", v)
	switch v.(type) {
	case nil:
		name = "NoneType"
	case bool:
		name = "bool"
	case int, int64, *big.Int:
		name = "int"
	case float64:
		name = "float"
	case string, value.Unsafe:
		name = "str"
	case []any, []string:
		name = "list"
	case *value.Dict, map[string]any:
		name = "dict"
	}
	return "<class '" + name + "'>"
}
