// Package adhoc tests `gorun PATTERN -m MODULE` on lab hosts, against what
// the real `ansible` does on the same hosts.
package adhoc

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// hostLine matches the first line of a minimal-callback result:
// "h1 | SUCCESS => {" or "h1 | CHANGED | rc=0 >>".
var hostLine = regexp.MustCompile(`(?m)^(\S+) \| (SUCCESS|CHANGED|FAILED!?|UNREACHABLE!|SKIPPED)( \| rc=(-?\d+))?( =>| >>)`)

var sharedConn = regexp.MustCompile(`(?m)^Shared connection to \S+ closed\.$`)

type hostResult struct {
	status string
	rc     string
	body   string // JSON after "=>" or the output after ">>"
}

// parseAdhoc splits minimal-callback output into per-host results.
func parseAdhoc(t *testing.T, out string) map[string]hostResult {
	t.Helper()
	res := map[string]hostResult{}
	locs := hostLine.FindAllStringSubmatchIndex(out, -1)
	for i, l := range locs {
		end := len(out)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		host := out[l[2]:l[3]]
		r := hostResult{status: out[l[4]:l[5]], body: strings.TrimSpace(out[l[1]:end])}
		if l[8] >= 0 {
			r.rc = out[l[8]:l[9]]
		}
		res[host] = r
	}
	return res
}

func jsonBody(t *testing.T, r hostResult) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("result is not JSON: %v\n%s", err, r.body)
	}
	return m
}

func setup(t *testing.T, n int) (*labenv.Lab, string, string) {
	lab := labenv.ForTest(t, n)
	inv := filepath.Join(t.TempDir(), "hosts")
	if err := lab.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	return lab, inv, e2e.Gorun(t)
}

func TestAdhocOnLabHosts(t *testing.T) {
	lab, inv, gorun := setup(t, 3)

	t.Run("ping", func(t *testing.T) {
		r := e2e.Run(t, gorun, []string{"all", "-i", inv, "-m", "ping"}, e2e.Options{})
		if r.ExitCode != 0 {
			t.Fatalf("exit %d\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
		got := parseAdhoc(t, r.Stdout)
		for _, h := range lab.Hosts {
			hr, ok := got[h.Name]
			if !ok || hr.status != "SUCCESS" || jsonBody(t, hr)["ping"] != "pong" {
				t.Errorf("%s: %+v\n%s", h.Name, hr, r.Stdout)
			}
		}
	})

	t.Run("shell shows each host its own name", func(t *testing.T) {
		r := e2e.Run(t, gorun, []string{"all", "-i", inv, "-m", "shell", "-a", "cat /etc/hostname"}, e2e.Options{})
		if r.ExitCode != 0 {
			t.Fatalf("exit %d\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
		got := parseAdhoc(t, r.Stdout)
		for _, h := range lab.Hosts {
			hr := got[h.Name]
			if hr.status != "CHANGED" || hr.rc != "0" || hr.body != h.Name {
				t.Errorf("%s: %+v", h.Name, hr)
			}
		}
	})

	t.Run("setup on h2", func(t *testing.T) {
		r := e2e.Run(t, gorun, []string{"h2", "-i", inv, "-m", "setup"}, e2e.Options{})
		if r.ExitCode != 0 {
			t.Fatalf("exit %d\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
		}
		facts, _ := jsonBody(t, parseAdhoc(t, r.Stdout)["h2"])["ansible_facts"].(map[string]any)
		if facts["ansible_os_family"] != "Debian" || facts["ansible_hostname"] != "h2" {
			t.Errorf("facts: os_family=%v hostname=%v", facts["ansible_os_family"], facts["ansible_hostname"])
		}
	})

	t.Run("command false exits 2", func(t *testing.T) {
		r := e2e.Run(t, gorun, []string{"all", "-i", inv, "-m", "command", "-a", "false"}, e2e.Options{})
		if r.ExitCode != 2 {
			t.Fatalf("exit %d, want 2\n%s", r.ExitCode, r.Stdout)
		}
		for _, h := range lab.Hosts {
			if hr := parseAdhoc(t, r.Stdout)[h.Name]; !strings.HasPrefix(hr.status, "FAILED") || hr.rc != "1" {
				t.Errorf("%s: %+v", h.Name, hr)
			}
		}
	})

	t.Run("unknown module is a clear error", func(t *testing.T) {
		r := e2e.Run(t, gorun, []string{"all", "-i", inv, "-m", "no_such_module"}, e2e.Options{})
		if r.ExitCode == 0 || !strings.Contains(r.Stderr, "no_such_module") || strings.Contains(r.Stdout, "SUCCESS") {
			t.Errorf("exit %d\nstdout: %s\nstderr: %s", r.ExitCode, r.Stdout, r.Stderr)
		}
	})
}

func TestUnreachableHostExits4WhileOthersAnswer(t *testing.T) {
	lab, inv, gorun := setup(t, 3)
	data, err := os.ReadFile(inv)
	if err != nil {
		t.Fatal(err)
	}
	// A fourth host on the lab subnet where nothing listens.
	dead := strings.Replace(lab.Hosts[0].Addr, ".11", ".99", 1)
	data = []byte(strings.Replace(string(data), "[lab]\n", "[lab]\nh9 ansible_host="+dead+" ansible_ssh_timeout=3\n", 1))
	if err := os.WriteFile(inv, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := e2e.Run(t, gorun, []string{"all", "-i", inv, "-m", "ping"}, e2e.Options{})
	if r.ExitCode != 4 {
		t.Fatalf("exit %d, want 4\n%s%s", r.ExitCode, r.Stdout, r.Stderr)
	}
	got := parseAdhoc(t, r.Stdout)
	if got["h9"].status != "UNREACHABLE!" {
		t.Errorf("h9: %+v", got["h9"])
	}
	for _, h := range lab.Hosts {
		if got[h.Name].status != "SUCCESS" {
			t.Errorf("%s: %+v", h.Name, got[h.Name])
		}
	}
}

// TestAdhocMatchesAnsible runs the same ad-hoc commands with ansible and
// gorun on the same hosts and compares status, rc and the result keys that
// do not depend on time.
func TestAdhocMatchesAnsible(t *testing.T) {
	lab, inv, gorun := setup(t, 2)
	cases := [][]string{
		{"-m", "ping"},
		{"-m", "command", "-a", "echo hello"},
		{"-m", "shell", "-a", "echo out; echo err >&2; exit 3"},
		{"-m", "command", "-a", "cat /etc/hostname"},
		{"-m", "command", "-a", "ls /nonexistent"},
		{"-m", "command", "-a", "echo skipped creates=/etc/hostname"},
		{"-m", "raw", "-a", "uname -s"},
		{"-m", "debug", "-a", "msg={{ inventory_hostname }}"},
		{"-m", "set_fact", "-a", "x=1"},
		// -B/-P: async with polling, a failing job, a job out of time and
		// fire-and-forget (the job id, results file and started/finished).
		// Few cases: each costs an ansible run of several seconds.
		{"-B", "10", "-P", "1", "-a", "echo hi"},
		{"-B", "1", "-P", "1", "-m", "shell", "-a", "sleep 3; exit 3"},
		{"-B", "10", "-P", "0", "-m", "shell", "-a", "echo started"},
	}
	// Not a subtest: Ansible's control sockets live under the test's
	// temporary HOME, whose path a subtest's name would make too long.
	asyncStatusOfEarlierRun(t, inv, gorun)
	volatile := map[string]bool{"delta": true, "start": true, "end": true, "invocation": true, "ansible_job_id": true}
	for _, c := range cases {
		args := append([]string{"all", "-i", inv}, c...)
		want := e2e.Ansible(t, "ansible", args...)
		got := e2e.Run(t, gorun, args, e2e.Options{})
		name := strings.Join(c, " ")
		if got.ExitCode != want.ExitCode {
			t.Errorf("%s: exit %d, ansible %d\n%s\n%s", name, got.ExitCode, want.ExitCode, got.Stdout, want.Stdout)
			continue
		}
		g, w := parseAdhoc(t, got.Stdout), parseAdhoc(t, want.Stdout)
		for _, h := range lab.Hosts {
			gr, wr := g[h.Name], w[h.Name]
			if gr.status != wr.status || gr.rc != wr.rc {
				t.Errorf("%s on %s: gorun %q rc=%s, ansible %q rc=%s", name, h.Name, gr.status, gr.rc, wr.status, wr.rc)
				continue
			}
			if !strings.HasPrefix(wr.body, "{") {
				// Ansible's raw runs under a pty through OpenSSH's client, which turns
				// newlines into CRLF and adds its own "Shared connection ... closed."
				// on the merged output; that is the client's noise, not the result.
				want := strings.TrimSpace(sharedConn.ReplaceAllString(strings.ReplaceAll(wr.body, "\r\n", "\n"), ""))
				if gr.body != want {
					t.Errorf("%s on %s: output %q, ansible %q", name, h.Name, gr.body, want)
				}
				continue
			}
			gm, wm := jsonBody(t, gr), jsonBody(t, wr)
			for k, wv := range wm {
				if volatile[k] || strings.HasPrefix(k, "ansible_facts") || k == "discovered_interpreter_python" {
					continue
				}
				gv := gm[k]
				if k == "results_file" {
					// The file is named after the job's id.
					gv = strings.Replace(fmt.Sprint(gv), fmt.Sprint(gm["ansible_job_id"]), fmt.Sprint(wm["ansible_job_id"]), 1)
				}
				gj, _ := json.Marshal(gv)
				wj, _ := json.Marshal(wv)
				if string(gj) != string(wj) {
					t.Errorf("%s on %s: %s = %s, ansible %s", name, h.Name, k, gj, wj)
				}
			}
		}
	}
}

// asyncStatusOfEarlierRun starts a job with -B -P 0 and asks for it with
// `-m async_status` in a second run, under both tools: the second run reads
// the job's results file on the target, and cleanup removes it.
func asyncStatusOfEarlierRun(t *testing.T, inv, gorun string) {
	type run func(args ...string) e2e.Result
	tools := map[string]run{
		"ansible": func(args ...string) e2e.Result { return e2e.Ansible(t, "ansible", args...) },
		"gorun":   func(args ...string) e2e.Result { return e2e.Run(t, gorun, args, e2e.Options{}) },
	}
	results := map[string][]map[string]any{}
	for name, tool := range tools {
		start := tool("h1", "-i", inv, "-B", "30", "-P", "0", "-m", "shell", "-a", "echo job; echo err >&2")
		jid, _ := jsonBody(t, parseAdhoc(t, start.Stdout)["h1"])["ansible_job_id"].(string)
		if jid == "" {
			t.Fatalf("%s: no job id:\n%s%s", name, start.Stdout, start.Stderr)
		}
		var status map[string]any
		// The job runs on in the background after the run that started
		// it (under both tools): ask until it has finished.
		for try := 0; try < 20; try++ {
			status = jsonBody(t, parseAdhoc(t, tool("h1", "-i", inv, "-m", "async_status", "-a", "jid="+jid).Stdout)["h1"])
			if status["finished"] == 1.0 {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		cleanup := jsonBody(t, parseAdhoc(t, tool("h1", "-i", inv, "-m", "async_status", "-a", "jid="+jid+" mode=cleanup").Stdout)["h1"])
		for _, m := range []map[string]any{status, cleanup} {
			for _, k := range []string{"ansible_job_id", "results_file", "erased"} {
				if v, ok := m[k].(string); ok {
					m[k] = strings.ReplaceAll(v, jid, "JID")
				}
			}
			for _, k := range []string{"delta", "start", "end"} {
				delete(m, k)
			}
		}
		results[name] = []map[string]any{status, cleanup}
	}
	for i, what := range []string{"status", "cleanup"} {
		g, _ := json.MarshalIndent(results["gorun"][i], "", " ")
		w, _ := json.MarshalIndent(results["ansible"][i], "", " ")
		if string(g) != string(w) {
			t.Errorf("%s differs:\n--- gorun:\n%s\n--- ansible:\n%s", what, g, w)
		}
	}
}
