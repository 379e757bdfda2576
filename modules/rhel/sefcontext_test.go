package rhel

import (
	"encoding/json"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// sefcontextListing is `semanage fcontext -l` as seobject prints it (with
// its headings), the records the cases below start from.
const sefcontextListing = `SELinux fcontext                                   type               Context

/srv/git(/.*)?                                     all files          system_u:object_r:git_content_t:s0 
/srv/www                                           directory          system_u:object_r:httpd_sys_content_t:s0 
/srv/very/long/path/expression/that/is/longer/than/fifty(/.*)? regular file       staff_u:object_r:user_home_t:s0:c1 
/srv/none                                          socket             <<None>>

SELinux Distribution fcontext Equivalence 

/run = /var/run

SELinux Local fcontext Equivalence 

/srv/containers = /var/lib/containers
`

// TestSEFcontextListing reads semanage's listing.
func TestSEFcontextListing(t *testing.T) {
	r := parseFcontextList(sefcontextListing)
	if c := r.mappings[[2]string{"/srv/git(/.*)?", "all files"}]; c == nil || *c != (fcontext{"system_u", "object_r", "git_content_t", "s0"}) {
		t.Errorf("git mapping: %+v", c)
	}
	if c := r.mappings[[2]string{"/srv/very/long/path/expression/that/is/longer/than/fifty(/.*)?", "regular file"}]; c == nil || c.rng != "s0:c1" || c.user != "staff_u" {
		t.Errorf("long mapping: %+v", c)
	}
	if c, ok := r.mappings[[2]string{"/srv/none", "socket"}]; !ok || c != nil {
		t.Errorf("<<None>> mapping: %+v %v", c, ok)
	}
	if s, _ := r.substitute("/run"); s != "/var/run" {
		t.Errorf("distribution substitution: %q", s)
	}
	if s, _ := r.substitute("/srv/containers"); s != "/var/lib/containers" || r.equivDist["/srv/containers"] != "" {
		t.Errorf("local substitution: %q", s)
	}
}

// TestSEFcontextMatchesModuleAndSemanage runs every case three ways from
// the same records: the Python module (its seobject calls, on an
// in-memory stand-in for seobject.fcontextRecords), gorun's semanage
// command lines through semanage's own parser onto the same stand-in, and
// gorun's result. End states, reload flags and results must agree.
func TestSEFcontextMatchesModuleAndSemanage(t *testing.T) {
	if _, err := os.Stat("/usr/sbin/semanage"); err != nil {
		t.Skip("semanage (policycoreutils-python-utils) is not installed")
	}
	cases := []struct {
		params string
		check  bool
	}{
		{`{"target": "/srv/git(/.*)?", "setype": "git_content_t"}`, false},
		{`{"target": "/srv/git(/.*)?", "setype": "httpd_sys_rw_content_t"}`, false},
		{`{"target": "/srv/git(/.*)?", "setype": "httpd_sys_rw_content_t", "seuser": "staff_u", "selevel": "s0:c2", "reload": false}`, false},
		{`{"target": "/srv/git(/.*)?", "setype": "httpd_sys_rw_content_t"}`, true},
		{`{"target": "/srv/new(/.*)?", "setype": "public_content_t", "ftype": "d"}`, false},
		{`{"target": "/srv/new", "setype": "public_content_t", "ftype": "f", "seuser": "user_u", "selevel": "s0"}`, false},
		{`{"target": "/srv/www", "setype": "httpd_sys_content_t", "ftype": "d"}`, false},
		{`{"target": "/srv/www", "setype": "httpd_sys_content_t"}`, false},
		{`{"target": "/srv/none", "setype": "var_run_t", "ftype": "s"}`, false},
		{`{"target": "/srv/containers", "substitute": "/var/lib/containers"}`, false},
		{`{"target": "/srv/containers", "substitute": "/srv/other"}`, false},
		{`{"target": "/srv/c2", "substitute": "/var/lib/c2"}`, false},
		{`{"target": "/run", "substitute": "/var/run"}`, false},
		{`{"target": "/srv/www", "ftype": "d", "state": "absent"}`, false},
		{`{"target": "/srv/www", "state": "absent"}`, false},
		{`{"target": "/srv/www", "ftype": "d", "state": "absent"}`, true},
		{`{"target": "/srv/containers", "state": "absent", "reload": false}`, false},
		{`{"target": "/srv/containers", "substitute": "/elsewhere", "state": "absent"}`, false},
		{`{"target": "/srv/containers", "setype": "x_t", "state": "absent"}`, false},
		{`{"target": "/srv/missing", "state": "absent"}`, false},
	}
	records := parseFcontextList(sefcontextListing)
	type caseIn struct {
		Params json.RawMessage `json:"params"`
		Check  bool            `json:"check"`
		Argv   [][]string      `json:"argv"`
	}
	var in []caseIn
	var results []map[string]any
	for _, c := range cases {
		var raw map[string]any
		if err := json.Unmarshal([]byte(c.params), &raw); err != nil {
			t.Fatal(err)
		}
		args, err := sefcontextDoc.Validate(raw)
		if err != nil {
			t.Fatalf("%s: %v", c.params, err)
		}
		r := &sefcontextRun{check: c.check, diff: true, reload: args.Bool("reload"), target: args.String("target"),
			ftype: args.String("ftype"), state: args.String("state"), setype: args["setype"],
			substitute: args["substitute"], seuser: args["seuser"], serange: args["selevel"]}
		var cmds [][]string
		var res map[string]any
		if r.state == "present" {
			cmds, res = r.present(records)
		} else {
			cmds, res = r.absent(records)
		}
		in = append(in, caseIn{json.RawMessage(c.params), c.check, cmds})
		results = append(results, res)
	}
	var state = map[string]any{"mappings": [][]any{}, "equiv": records.equiv, "equiv_dist": records.equivDist}
	var ms []any
	for k, c := range records.mappings {
		if c != nil {
			ms = append(ms, []any{k[0], k[1], []string{c.user, c.role, c.typ, c.rng}})
		}
	}
	state["mappings"] = ms
	input, _ := json.Marshal(map[string]any{"records": state, "cases": in})
	py := exec.Command("/usr/bin/python3", "testdata/sefcontext_reference.py")
	py.Stdin = strings.NewReader(string(input))
	var stderr strings.Builder
	py.Stderr = &stderr
	out, err := py.Output()
	if err != nil {
		t.Fatalf("reference: %v\n%s", err, stderr.String())
	}
	var ref []struct {
		Result   map[string]any
		Module   map[string]any
		CLI      map[string]any `json:"cli"`
		CLIError any            `json:"cli_error"`
	}
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		want := ref[i]
		if want.CLIError != nil {
			t.Errorf("%s: semanage refuses gorun's commands %q: %v", c.params, in[i].Argv, want.CLIError)
		}
		if len(in[i].Argv) == 0 {
			want.Module["reload"], want.CLI["reload"] = nil, nil
		}
		m, _ := json.Marshal(sortedState(want.Module))
		g, _ := json.Marshal(sortedState(want.CLI))
		if string(m) != string(g) {
			t.Errorf("%s (check %v): gorun's commands %q leave\n%s\nthe module leaves\n%s", c.params, c.check, in[i].Argv, g, m)
		}
		for _, k := range []string{"changed", "seuser", "serange", "diff"} {
			a, _ := json.Marshal(want.Result[k])
			b, _ := json.Marshal(results[i][k])
			if string(a) != string(b) {
				t.Errorf("%s: %s = %s, module %s", c.params, k, b, a)
			}
		}
	}
}

// sortedState orders the mappings of a state for comparison.
func sortedState(s map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range s {
		out[k] = v
	}
	if l, ok := s["mappings"].([]any); ok {
		strs := make([]string, len(l))
		for i, m := range l {
			b, _ := json.Marshal(m)
			strs[i] = string(b)
		}
		sort.Strings(strs)
		out["mappings"] = strs
	}
	return out
}
