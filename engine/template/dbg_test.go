package template
import ("testing";"os";"strings";"regexp";"path/filepath")
func TestDbgX(t *testing.T) {
	data, _ := os.ReadFile("/tmp/plugins.txt")
	var corpus strings.Builder
	for _, g := range []string{"testdata/*.yml", "testdata/templates/*.j2", "testdata/roles/*/templates/*.j2"} {
		m, _ := filepath.Glob(g)
		for _, f := range m { b, _ := os.ReadFile(f); corpus.Write(b) }
	}
	c := corpus.String()
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		parts := strings.Fields(line)
		isTest := strings.HasSuffix(parts[0], "TESTS")
		var unreg, uncovered []string
		for _, n := range parts[1:] {
			if isTest { if _, ok := tests[n]; !ok { unreg = append(unreg, n) } } else if _, ok := filters[n]; !ok { unreg = append(unreg, n) }
			var re *regexp.Regexp
			if isTest { re = regexp.MustCompile(`\bis\s+(not\s+)?(ansible\.builtin\.)?` + regexp.QuoteMeta(n) + `\b`) } else { re = regexp.MustCompile(`\|\s*(ansible\.builtin\.)?` + regexp.QuoteMeta(n) + `\b`) }
			if !re.MatchString(c) { uncovered = append(uncovered, n) }
		}
		t.Logf("%s unregistered: %v", parts[0], unreg)
		t.Logf("%s uncovered: %v", parts[0], uncovered)
	}
}
