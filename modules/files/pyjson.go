package files

import (
	"fmt"

	"gorun/engine/pytext"
)

// pyJSON is Python's json.dumps with its defaults (separators ", " and
// ": ", ensure_ascii), which the copy action uses for list and dict content.
// Vaulted values are their text, and values that are no data (which
// json.dumps would refuse) their Go text, so that content is always written.
func pyJSON(v any) string {
	s, _ := pytext.JSON{Indent: pytext.NoIndent, ASCII: true, VaultText: true, Default: goText}.Dumps(v)
	return s
}

// goText is a json.dumps default() that writes any value as its Go text.
func goText(v any) (any, bool, error) { return fmt.Sprint(v), true, nil }
