package template

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCorePluginsCovered checks every filter and test of ansible-core and
// Jinja2 (testdata/core_plugins.txt, written by regen.sh from the installed
// sources): each must be implemented, and the golden corpus must use it so
// that ansible-playbook's output checks the implementation.
func TestCorePluginsCovered(t *testing.T) {
	data, err := os.ReadFile("testdata/core_plugins.txt")
	if err != nil {
		t.Fatal(err)
	}
	var corpus strings.Builder
	for _, glob := range []string{"testdata/*.yml", "testdata/templates/*.j2", "testdata/roles/*/templates/*.j2"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			corpus.Write(b)
		}
	}
	text := corpus.String()
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		fields := strings.Fields(line)
		isTest := strings.HasSuffix(fields[0], "_TESTS")
		for _, name := range fields[1:] {
			q := regexp.QuoteMeta(name)
			var used *regexp.Regexp
			if isTest {
				if _, ok := tests[name]; !ok {
					t.Errorf("test %s (%s) is not implemented", name, fields[0])
				}
				used = regexp.MustCompile(`\bis\s+(not\s+)?(ansible\.builtin\.)?` + q + `\b|(select|reject)(attr)?\([^)]*["']` + q + `["']`)
			} else {
				if _, ok := filters[name]; !ok {
					t.Errorf("filter %s (%s) is not implemented", name, fields[0])
				}
				used = regexp.MustCompile(`\|\s*(ansible\.builtin\.)?` + q + `\b`)
			}
			if !used.MatchString(text) {
				t.Errorf("%s %s is not used by any golden case", fields[0], name)
			}
		}
	}
}
