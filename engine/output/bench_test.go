package output

import (
	"io"
	"testing"
)

// BenchmarkDefaultBasic replays the basic golden playbook's events (15
// tasks, loops, handlers) through the default callback.
func BenchmarkDefaultBasic(b *testing.B) {
	for _, v := range []int{0, 3} {
		b.Run([]string{"v0", "", "", "v3"}[v], func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cb, _ := NewDefault(io.Discard, io.Discard, DefaultOptions{DisplayOptions: DisplayOptions{Verbosity: v}})
				basicEvents(cb)
			}
		})
	}
}

// BenchmarkYAMLResult dumps a command result as result_format=yaml.
func BenchmarkYAMLResult(b *testing.B) {
	r := commandResult("echo hi", []any{"echo", "hi"}, 0, "line one\nline two", true)
	d := dumper{yaml: true, verbosity: 3}
	for i := 0; i < b.N; i++ {
		d.dump(r, NoIndent, true)
	}
}
