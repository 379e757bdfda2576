package config

import "testing"

// BenchmarkLoadFile measures resolving every setting from an ansible.cfg.
func BenchmarkLoadFile(b *testing.B) {
	f := b.TempDir() + "/ansible.cfg"
	if err := writeText(f, sampleCfg); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := LoadFile(f); err != nil {
			b.Fatal(err)
		}
	}
}
