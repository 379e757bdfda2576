package corpus

import (
	"os"
	"slices"
	"testing"
)

// TestSplitExamplesKeepsEveryModule checks that the examples' parts hold
// every selected module once, each part some, and that only Quick
// examples not marked Unpipelined run pipelined.
func TestSplitExamplesKeepsEveryModule(t *testing.T) {
	if _, err := os.Stat(collections); err != nil {
		t.Skipf("Debian's ansible package is not installed: %v", err)
	}
	for _, full := range []string{"", "1"} {
		t.Setenv("GORUN_CORPUS_FULL", full)
		exs := selectExamples(nil)
		parts := splitExamples(t, exs, examplesParts)
		var joined []Example
		pipelinedParts := 0
		for i, p := range parts {
			if len(p.exs) == 0 {
				t.Errorf("FULL=%q: part %d is empty", full, i+1)
			}
			for _, ex := range p.exs {
				if p.pipelined != (ex.Quick && !ex.Unpipelined) {
					t.Errorf("FULL=%q: %s in a part pipelined=%v", full, ex.Module, p.pipelined)
				}
			}
			if p.pipelined {
				pipelinedParts++
			}
			joined = append(joined, p.exs...)
			t.Logf("FULL=%q: part %d (pipelined %v): %d modules, %s to %s", full, i+1, p.pipelined, len(p.exs), p.exs[0].Module, p.exs[len(p.exs)-1].Module)
		}
		if pipelinedParts != examplesParts {
			t.Errorf("FULL=%q: %d pipelined parts, want %d", full, pipelinedParts, examplesParts)
		}
		slices.SortFunc(joined, func(a, b Example) int { return slices.Index(exs, a) - slices.Index(exs, b) })
		if !slices.Equal(joined, exs) {
			t.Errorf("FULL=%q: the parts hold %v, want %v", full, joined, exs)
		}
	}
}
