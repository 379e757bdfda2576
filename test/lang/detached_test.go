package lang

import (
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gorun/test/e2e"
)

var (
	// jobIDs is start.yml's line of job ids.
	jobIDs = regexp.MustCompile(`"msg": "ids (j\S+) (j\S+) (j\S+) (j\S+)"`)
	anyJID = regexp.MustCompile(`\bj[0-9]{6,}\.[0-9]+\b`)
)

// runDetached checks that fire-and-forget jobs (poll: 0) outlive the run
// that starts them, as Ansible's async_wrapper daemonizes, and that the
// job files are Ansible's: each tool starts jobs with detached/start.yml,
// then the other tool reads them with detached/status.yml (still running
// after the first run exited, finished once signalled, a failure, a
// program that cannot start, a job stopped past its time). The two start
// runs and the two reading runs must agree.
func runDetached(t *testing.T, gorun, labInv string) {
	dir, err := filepath.Abs("detached")
	if err != nil {
		t.Fatal(err)
	}
	type tool struct {
		name, late string
		run        func(args []string) e2e.Result
	}
	opts := e2e.Options{Dir: dir}
	tools := []tool{
		{"ansible", "1008", func(args []string) e2e.Result { return e2e.AnsibleWith(t, opts, "ansible-playbook", args...) }},
		{"gorun", "1007", func(args []string) e2e.Result { return e2e.Run(t, gorun, args, opts) }},
	}
	starts := make([]e2e.Result, 2)
	ids := make([][]string, 2)
	for i, tl := range tools {
		starts[i] = tl.run([]string{"-i", labInv, "start.yml", "-e", "tag=" + tl.name, "-e", "late_secs=" + tl.late})
		m := jobIDs.FindStringSubmatch(starts[i].Stdout)
		if starts[i].ExitCode != 0 || m == nil {
			t.Fatalf("%s's start.yml (exit %d) printed no job ids:\n%s%s", tl.name, starts[i].ExitCode, starts[i].Stdout, starts[i].Stderr)
		}
		ids[i] = m[1:]
	}
	compareRuns(t, "start.yml", starts[0], starts[1])

	// Each tool reads the jobs the other started.
	reads := make([]e2e.Result, 2)
	var wg sync.WaitGroup
	for i, tl := range tools {
		other := 1 - i
		wg.Add(1)
		go func() {
			defer wg.Done()
			reads[i] = tl.run([]string{"-i", labInv, "status.yml", "-e", "tag=" + tools[other].name, "-e", "late_secs=" + tools[other].late,
				"-e", "waiting=" + ids[other][0], "-e", "late=" + ids[other][1], "-e", "failing=" + ids[other][2], "-e", "noexec=" + ids[other][3]})
		}()
	}
	wg.Wait()
	compareRuns(t, "status.yml", reads[0], reads[1])
	for _, want := range []string{`"msg": "started=1 finished=0`, `"msg": "Timeout exceeded failed=False pid=True"`} {
		if !strings.Contains(reads[1].Stdout, want) {
			t.Errorf("gorun's status.yml shows no %s:\n%s", want, reads[1].Stdout)
		}
	}
}

// compareRuns compares the exit codes, recaps, shown results and
// normalised transcripts of Ansible's and gorun's runs of one playbook.
func compareRuns(t *testing.T, what string, want, got e2e.Result) {
	t.Helper()
	if want.ExitCode != got.ExitCode {
		t.Errorf("%s: exit code: gorun %d, ansible %d", what, got.ExitCode, want.ExitCode)
	}
	// Job ids differ from run to run.
	wt, werr := Parse(anyJID.ReplaceAllString(want.Stdout, "j<jid>"))
	gt, gerr := Parse(anyJID.ReplaceAllString(got.Stdout, "j<jid>"))
	if werr != nil || gerr != nil {
		t.Fatalf("%s: reading the transcripts: ansible: %v, gorun: %v", what, werr, gerr)
	}
	for _, h := range Hosts(wt, gt) {
		if w, g := wt.Recap[h], gt.Recap[h]; w != g {
			t.Errorf("%s: recap of %s: gorun %+v, ansible %+v", what, h, g, w)
		}
		if d := diffShown(wt.Shown[h], gt.Shown[h]); d != "" {
			t.Errorf("%s: results of %s differ (- ansible, + gorun):\n%s", what, h, d)
		}
	}
	if w, g := e2e.NormalizeTranscript(want.Stdout), e2e.NormalizeTranscript(got.Stdout); w != g {
		t.Errorf("%s: normalised transcripts differ (- ansible, + gorun):\n%s", what, lineDiff(w, g))
	}
	if t.Failed() {
		t.Logf("%s:\n--- ansible (exit %d):\n%s%s\n--- gorun (exit %d):\n%s%s", what, want.ExitCode, want.Stdout, want.Stderr, got.ExitCode, got.Stdout, got.Stderr)
	}
}
