package config

import "testing"

// FuzzParseINI feeds arbitrary text to the ansible.cfg parser: it must not
// panic, and every key it stores must be found again by get.
func FuzzParseINI(f *testing.F) {
	f.Add(sampleCfg)
	f.Add("[a]\nk=v\n  cont\n\n  more ; c\n[DEFAULT]\nx: 1\n")
	f.Add("[a\n]\n=\n")
	f.Fuzz(func(t *testing.T, text string) {
		ini, err := parseINI(text)
		if err != nil {
			return
		}
		for sect, keys := range ini.sections {
			for k, v := range keys {
				if got, ok := ini.get(sect, k); !ok || got != v {
					t.Fatalf("[%s]%s: got %q, %v; stored %q", sect, k, got, ok, v)
				}
			}
		}
	})
}
