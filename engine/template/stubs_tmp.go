package template

import (
	"time"

	"gorun/engine/value"
)

func strftime(f string, t time.Time) string                                     { return "" }
func (ev *evaluator) lookupCall(a []any, kw *value.Dict, wantlist bool) (any, error) {
	return nil, nil
}
