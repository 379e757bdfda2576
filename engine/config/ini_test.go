package config

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// iniCases are tricky ansible.cfg texts: comments, continuation lines,
// delimiters, [DEFAULT], odd section headers, and errors.
var iniCases = []string{
	sampleCfg,
	"[defaults]\nKey = Value ; comment\nother=a;b\nthird = x #not a comment\n",
	"[defaults]\na = 1\n  continued\n\n  after blank\n# comment inside\n  more\nb: 2\n",
	"[defaults]\na =\n\tindented with tab\n",
	"[DEFAULT]\nshared = s\n[one]\n[two]\nshared = mine\n",
	"[ spaced ]\nk = v\n[defaults] trailing junk\nz = 1\n",
	"[defaults]\nurl = http://x:80/a=b\nk:v=w\n",
	"  [indented]\n  k = v\n",
	"[a]\nk = v\n[b]\nk = w\n[a]\n",
	"[a]\nk = v\nK = w\n",
	"[a]\nnovalue\n",
	"k = v\n",
	"[a]\n= v\n",
	"[a]\nk = 'quoted' ; c\n;full comment\n  ; indented comment\n",
	"",
	"\n\n[a]\r\nk = v\r\n",
	"[a]\nk = v\n[DEFAULT]\nk2 = d\n[DEFAULT]\nk3 = e\n",
}

// TestINIMatchesConfigParser parses every case with Python's configparser
// (as Ansible sets it up) and with parseINI, and compares the sections,
// values and error messages.
func TestINIMatchesConfigParser(t *testing.T) {
	const script = `
import configparser, json, sys
out = []
for text in json.load(sys.stdin):
    p = configparser.ConfigParser(inline_comment_prefixes=(';',))
    try:
        p.read_string(text)
    except configparser.Error as e:
        out.append({"error": str(e)})
        continue
    secs = {s: {k: p.get(s, k, raw=True) for k in p.options(s)} for s in p.sections()}
    secs["DEFAULT"] = dict(p.defaults())
    out.append({"sections": secs})
json.dump(out, sys.stdout)
`
	in, _ := json.Marshal(iniCases)
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("python3 configparser: %v", err)
	}
	var want []struct {
		Error    string                       `json:"error"`
		Sections map[string]map[string]string `json:"sections"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, text := range iniCases {
		ini, err := parseINI(text)
		if want[i].Error != "" {
			if err == nil || err.Error() != want[i].Error {
				t.Errorf("case %d %q:\nerror %v\nwant  %s", i, text, err, want[i].Error)
			}
			continue
		}
		if err != nil {
			t.Errorf("case %d %q: %v", i, text, err)
			continue
		}
		got := map[string]map[string]string{"DEFAULT": ini.defaults}
		for name, keys := range ini.sections {
			got[name] = map[string]string{}
			for k := range keys {
				got[name][k], _ = ini.get(name, k)
			}
			for k, v := range ini.defaults { // options(s) includes DEFAULT's keys
				if _, ok := keys[k]; !ok {
					got[name][k] = v
				}
			}
		}
		if !reflect.DeepEqual(got, want[i].Sections) {
			t.Errorf("case %d %q:\ngot  %v\nwant %v", i, text, got, want[i].Sections)
		}
	}
}
