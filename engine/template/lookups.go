package template

import (
	"fmt"

	"gorun/engine/value"
)

// lookupCall implements lookup()/query()/q().
func (ev *evaluator) lookupCall(a []any, kw *value.Dict, wantlist bool) (any, error) {
	return nil, fmt.Errorf("lookups are not implemented yet")
}
