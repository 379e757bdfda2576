package playbook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseKV feeds arbitrary k=v argument strings to ParseKV: it must not
// panic, and a string without quotes, escapes, templates or "=" must come
// back as free-form text with the same words (Ansible keeps the spacing
// inside, so only the words are compared).
func FuzzParseKV(f *testing.F) {
	for _, s := range []string{
		`echo "a b" c=d chdir=/tmp`, `msg="unterminated`, `a='b c' d="e\"f" g=h\ni`,
		`{{ x }}={{ y }} {% if a %}b{% endif %}`, `k=v\=w 'x=y' "z"=1`, "a=\\\n", `{# c #}`,
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, args string, checkRaw bool) {
		opts, err := ParseKV(args, checkRaw)
		if err != nil {
			return
		}
		if checkRaw && !strings.ContainsAny(args, "=\"'\\{}%#\r\n\t") && strings.TrimSpace(args) != "" {
			got, _ := opts["_raw_params"].(string)
			if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(args), " ") {
				t.Fatalf("ParseKV(%q): _raw_params %q has other words", args, got)
			}
		}
	})
}

// FuzzLoadPlaybook loads arbitrary playbook text: the loader must not
// panic, and an error must name the file.
func FuzzLoadPlaybook(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yml")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(string(data))
		}
	}
	f.Add("- hosts: all\n  tasks:\n    - debug: msg=1\n      when: x\n  handlers: []\n")
	f.Add("- hosts: all\n  roles: [{role: r, x: 1}]\n  pre_tasks: [{block: [{shell: a}], rescue: [], always: []}]\n")
	f.Add("- import_playbook: other.yml\n- hosts: [a, b]\n  vars: {a: !unsafe '{{'}\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		path := filepath.Join(dir, "site.yml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		l := &Loader{KnownAction: known}
		if _, err := l.LoadPlaybook(path); err != nil && !strings.Contains(err.Error(), dir) {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
