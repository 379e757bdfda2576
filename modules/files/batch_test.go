package files_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"gorun/engine/value"
	"gorun/engine/yamlx"
	"gorun/test/e2e"
	"gorun/test/labenv"
)

// labBatch runs the scenarios and self-checks that TestLab selected in one
// engine run per host instead of one per scenario: every scenario becomes a
// play of its own (a playbook in a directory of its own, with its files,
// imported by the batch's playbook), so ansible-playbook's start-up, its SSH
// connection and its module builds are paid three times for the package
// (scenarios, scenarios --check, self-checks), not twice per scenario.
//
// Each scenario is a parallel subtest. Its body registers the scenario and
// then waits (t.Parallel) until TestLab has registered all that -run
// selected; the first to resume runs the batch, and each then compares its
// own results and files, so failures are still reported per scenario.
//
// So that all scenarios can be set up before one engine run and compared
// after it, each has a root of its own: its root directory (default /srv/t)
// is renamed root-NAME in its setup, tasks and files. What plays share is
// the host's variables: a fact one sets stays for the plays after it, so
// at most one scenario may use set_fact, and it runs last.
type labBatch struct {
	l   *labenv.Lab
	dir string
	inv string

	mu         sync.Mutex
	scenarios  []*batchScenario
	selfChecks []string
	extraArgs  []string

	once sync.Once
	// done is set when the batch ran to its end; a subtest that finds it
	// unset fails (the subtest that ran the batch says why).
	done bool
	// runs are the engine runs by host.
	runs map[string]*engineRun
	// before and after are h4's overlay around gorun's --check run.
	before, after map[string]string
}

// engineRun is one engine's run of the batch on one host.
type engineRun struct {
	host, engine string
	check        bool
	res          e2e.Result
	// dumps is the directory where the plays write their results.
	dumps string
}

// batchScenario is a scenario prepared for the batch.
type batchScenario struct {
	name string
	sc   scenario
	// root is the scenario's own root directory on the hosts.
	root string
	// n is the number of tasks whose results are compared.
	n int
	// setsFacts is set when the tasks use set_fact.
	setsFacts bool
	setupErr  error
}

// batchHosts are the lab's hosts: h1 ansible, h2 gorun, h3 ansible
// --check, h4 gorun --check.
var batchHosts = []string{"h1", "h2", "h3", "h4"}

// batchRuns are the batch's engine runs. They use hosts of their own, but
// for the self-checks, which run on h1 and h2 beside the scenarios: a
// failed assert ends a host's run, and the scenarios' set_fact must not
// reach them.
var batchRuns = []struct {
	host, engine, playbook string
	check                  bool
}{
	{"h1", "ansible", "site.yml", false}, {"h2", "gorun", "site.yml", false},
	{"h3", "ansible", "check.yml", true}, {"h4", "gorun", "check.yml", true},
	{"h1", "ansible", "selfcheck.yml", false}, {"h2", "gorun", "selfcheck.yml", false},
}

func newLabBatch(t *testing.T, l *labenv.Lab) *labBatch {
	t.Helper()
	b := &labBatch{l: l, dir: t.TempDir()}
	b.inv = filepath.Join(b.dir, "hosts")
	if err := l.WriteInventory(b.inv, "ini"); err != nil {
		t.Fatal(err)
	}
	return b
}

// scenario runs sc as the subtest name of t within the batch.
func (b *labBatch) scenario(t *testing.T, name string, sc scenario) {
	t.Run(name, func(t *testing.T) {
		bs := b.prepare(t, name, sc)
		t.Parallel()
		b.run(t)
		b.compare(t, bs)
	})
}

// selfCheck runs testdata/selfcheck/NAME.yml as the subtest selfcheck/NAME
// of t within the batch.
func (b *labBatch) selfCheck(t *testing.T, name string) {
	t.Run("selfcheck/"+name, func(t *testing.T) {
		b.prepareSelfCheck(t, name)
		t.Parallel()
		b.run(t)
		b.checkSelfCheck(t, name)
	})
}

// prepare writes the scenario's playbook and files under its directory of
// the batch and registers it.
func (b *labBatch) prepare(t *testing.T, name string, sc scenario) *batchScenario {
	t.Helper()
	root := sc.root
	if root == "" {
		root = "/srv/t"
	}
	own := root + "-" + name
	rename := regexp.MustCompile(regexp.QuoteMeta(root) + `\b`)
	rewrite := func(s string) string { return rename.ReplaceAllLiteralString(s, own) }
	dir := filepath.Join(b.dir, name)
	for file, content := range sc.files {
		p := filepath.Join(dir, file)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(file, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(rewrite(content)), mode); err != nil {
			t.Fatal(err)
		}
	}
	pinTimes(t, dir)
	diff, args := b.scenarioArgs(t, sc, dir)
	n := writePlaybook(t, dir, name, rewrite(sc.tasks), diff)
	sc.setup = rewrite(sc.setup)
	bs := &batchScenario{name: name, sc: sc, root: own, n: n, setsFacts: strings.Contains(sc.tasks, "set_fact")}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, other := range b.scenarios {
		if bs.setsFacts && other.setsFacts {
			t.Fatalf("%s and %s both use set_fact: in one batch the facts of one would reach the other's plays", other.name, name)
		}
	}
	b.scenarios = append(b.scenarios, bs)
	if diff {
		// On the command line too, so that both ways of asking for diffs
		// take part; the plays that do not want them say diff: false.
		args = append(args, []string{"--diff"})
	}
	for _, a := range args {
		if !containsArgs(b.extraArgs, a) {
			b.extraArgs = append(b.extraArgs, a...)
		}
	}
	return bs
}

// pinnedTime is the modification time of the scenarios' controller files.
var pinnedTime = time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)

// pinTimes sets the times of everything under dir to pinnedTime. rsync
// compares times by the second, so that a directory written at the very
// second its copy on a host was set up would show no change on that host
// and one on a host set up a second later: pinned, every host's copy is
// newer.
func pinTimes(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, pinnedTime, pinnedTime)
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
}

// scenarioArgs splits a scenario's extraArgs into its diff mode (a play
// keyword in the batch, and --diff on the batch's command lines) and the arguments that go on the batch's command
// lines, with the scenario's own files (vault.pass) made absolute. The
// batch's runs share one command line, so other arguments fail the test.
func (b *labBatch) scenarioArgs(t *testing.T, sc scenario, dir string) (bool, [][]string) {
	t.Helper()
	diff := false
	var out [][]string
	a := sc.extraArgs
	for i := 0; i < len(a); i++ {
		switch a[i] {
		case "--diff", "-D":
			diff = true
		case "-e", "--extra-vars", "--vault-password-file", "--vault-id":
			if i+1 == len(a) {
				t.Fatalf("extraArgs: %s without a value", a[i])
			}
			v := a[i+1]
			if _, ok := sc.files[v]; ok {
				v = filepath.Join(dir, v)
			}
			out = append(out, []string{a[i], v})
			i++
		default:
			t.Fatalf("extraArgs: %q cannot be given to one scenario of the batch (add it to labBatch.scenarioArgs)", a[i])
		}
	}
	return diff, out
}

// containsArgs reports whether list has the arguments a in a row.
func containsArgs(list, a []string) bool {
	for i := 0; i+len(a) <= len(list); i++ {
		if strings.Join(list[i:i+len(a)], "\x00") == strings.Join(a, "\x00") {
			return true
		}
	}
	return false
}

// run runs the batch once, for whichever subtest resumes first.
func (b *labBatch) run(t *testing.T) {
	b.once.Do(func() { b.runOnce(t) })
	if !b.done {
		t.Fatal("the batch run did not complete (the subtest that ran it says why)")
	}
}

func (b *labBatch) runOnce(t *testing.T) {
	// A fact set by a scenario stays for the plays after it, so the one
	// scenario that sets facts (prepare allows one) comes last.
	sort.Slice(b.scenarios, func(i, j int) bool {
		si, sj := b.scenarios[i].setsFacts, b.scenarios[j].setsFacts
		if si != sj {
			return sj
		}
		return b.scenarios[i].name < b.scenarios[j].name
	})
	b.setup()
	var normal, check, selfChecks []string
	for _, bs := range b.scenarios {
		if bs.setupErr != nil {
			continue
		}
		normal = append(normal, bs.name+"/site.yml")
		if !bs.sc.noCheck {
			check = append(check, bs.name+"/site.yml")
		}
	}
	for _, name := range b.selfChecks {
		selfChecks = append(selfChecks, "selfcheck/"+name+".yml")
	}
	imports := map[string][]string{"site.yml": normal, "check.yml": check, "selfcheck.yml": selfChecks}
	for name, list := range imports {
		writeImports(t, b.dir, name, list)
	}
	b.before = upperSnapshot(t, b.l, "h4")

	// The runs go at once: the package's wall time is that of the
	// longest ansible-playbook run.
	b.runs = map[string]*engineRun{}
	gorun := e2e.Gorun(t)
	var wg sync.WaitGroup
	for _, r := range batchRuns {
		if len(imports[r.playbook]) == 0 {
			continue
		}
		key := r.host + "/" + r.playbook
		run := &engineRun{host: r.host, engine: r.engine, check: r.check, dumps: filepath.Join(b.dir, "out", key)}
		if err := os.MkdirAll(run.dumps, 0o755); err != nil {
			t.Fatal(err)
		}
		b.runs[key] = run
		args := []string{"-i", b.inv, "-l", r.host, r.playbook, "-e", "dump_dir=" + run.dumps}
		if r.check {
			args = append(args, "--check")
		}
		if r.playbook != "selfcheck.yml" {
			args = append(args, b.extraArgs...)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A run does the work of every scenario: its limit is the
			// package's (make test gives go test 60 minutes), not a
			// single playbook's.
			opts := e2e.Options{Dir: b.dir, Timeout: 55 * time.Minute}
			if run.engine == "ansible" {
				// Pipelining: one SSH session per task instead of four,
				// no module file on the host. The scenarios' results are
				// the same as without it (gorun's, compared with both).
				opts.Env = []string{"ANSIBLE_PIPELINING=True"}
				run.res = e2e.AnsibleWith(t, opts, "ansible-playbook", args...)
			} else {
				run.res = e2e.Run(t, gorun, args, opts)
			}
		}()
	}
	wg.Wait()
	if b.runs["h4/check.yml"] != nil {
		b.after = upperSnapshot(t, b.l, "h4")
	}
	b.done = true
}

// setup makes each scenario's root and runs its setup on every host, the
// hosts at once.
func (b *labBatch) setup() {
	errs := make([]map[string]error, len(batchHosts))
	var wg sync.WaitGroup
	for i, host := range batchHosts {
		errs[i] = map[string]error{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, bs := range b.scenarios {
				script := "rm -rf " + bs.root + " && mkdir -p " + bs.root + "\n" + bs.sc.setup
				if out, err := b.l.Exec(host, "sh", "-ec", script); err != nil {
					errs[i][bs.name] = fmt.Errorf("setup on %s: %v\n%s", host, err, out)
				}
			}
		}()
	}
	wg.Wait()
	for _, bs := range b.scenarios {
		for i := range errs {
			if err := errs[i][bs.name]; err != nil && bs.setupErr == nil {
				bs.setupErr = err
			}
		}
	}
}

// writeImports writes a playbook of import_playbook entries.
func writeImports(t *testing.T, dir, name string, playbooks []string) string {
	t.Helper()
	var plays []any
	for _, p := range playbooks {
		plays = append(plays, value.DictOf("import_playbook", p))
	}
	writePlays(t, filepath.Join(dir, name), plays)
	return name
}

// writePlays writes plays as a playbook: JSON after YAML's document start
// marker. Ansible reads a file that parses as JSON with a JSON parser,
// which keeps no positions: its tasks then have no file, and their
// relative files are looked for from the working directory first; as
// YAML, from the playbook's directory, as gorun does.
func writePlays(t *testing.T, path string, plays []any) {
	t.Helper()
	data, err := json.MarshalIndent(plays, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append([]byte("---\n"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// compare compares both engines' results and files for one scenario, with
// and without --check.
func (b *labBatch) compare(t *testing.T, bs *batchScenario) {
	t.Helper()
	if bs.setupErr != nil {
		t.Fatal(bs.setupErr)
	}
	for _, runs := range [][2]string{{"h1/site.yml", "h2/site.yml"}, {"h3/check.yml", "h4/check.yml"}} {
		a, g := b.runs[runs[0]], b.runs[runs[1]]
		// No run is made of a playbook without plays (every selected
		// scenario has noCheck).
		if a == nil || g == nil || a.check && bs.sc.noCheck {
			continue
		}
		mode := "run"
		if a.check {
			mode = "check mode"
		}
		for _, r := range []*engineRun{a, g} {
			// The scenarios' tasks ignore their errors.
			if r.res.ExitCode != 0 {
				t.Errorf("%s: %s exited %d:\n%s", mode, r.engine, r.res.ExitCode, r.excerpt(bs.name))
			}
		}
		want, werr := b.results(a, bs)
		got, gerr := b.results(g, bs)
		if werr != nil || gerr != nil {
			for _, err := range []error{werr, gerr} {
				if err != nil {
					t.Errorf("%s: %v", mode, err)
				}
			}
			continue
		}
		for i := range want {
			w, g := normalize(want[i]), normalize(got[i])
			for _, k := range append(append([]string{}, bs.sc.ignore...), bs.sc.ignoreTasks[i]...) {
				delete(w.(map[string]any), k)
				delete(g.(map[string]any), k)
			}
			if !reflect.DeepEqual(w, g) {
				t.Errorf("%s, task %d: results differ\nansible: %s\ngorun:   %s", mode, i, mustJSON(w), mustJSON(g))
			}
		}
		at, gt := hostTree(t, b.l, a.host, bs.root), hostTree(t, b.l, g.host, bs.root)
		if at != gt {
			t.Errorf("%s: files left under %s differ\nansible (%s):\n%s\ngorun (%s):\n%s", mode, bs.root, a.host, at, g.host, gt)
		}
		if a.check {
			if d := snapshotDiff(b.before, b.after, b.owns(bs)); d != "" {
				t.Errorf("gorun --check changed the host's overlay:\n%s", d)
			}
		}
	}
}

// owns reports which of h4's overlay paths are bs's to answer for: those
// under its root, and those under no scenario's root (which any of them
// may have changed).
func (b *labBatch) owns(bs *batchScenario) func(rel string) bool {
	under := func(rel, root string) bool {
		r := strings.TrimPrefix(root, "/")
		return rel == r || strings.HasPrefix(rel, r+"/")
	}
	return func(rel string) bool {
		if under(rel, bs.root) {
			return true
		}
		for _, other := range b.scenarios {
			if under(rel, other.root) {
				return false
			}
		}
		return true
	}
}

// results reads the results one engine registered for the scenario's
// tasks; when they are missing it says how the engine's run ended and
// shows the scenario's play in its output.
func (b *labBatch) results(r *engineRun, bs *batchScenario) ([]any, error) {
	data, err := os.ReadFile(filepath.Join(r.dumps, bs.name+".json"))
	if err != nil {
		return nil, fmt.Errorf("%s wrote no results (exit %d):\n%s", r.engine, r.res.ExitCode, r.excerpt(bs.name))
	}
	var out []any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s's results: %v", r.engine, err)
	}
	if len(out) != bs.n {
		return nil, fmt.Errorf("want %d results, %s gave %d", bs.n, r.engine, len(out))
	}
	return out, nil
}

// excerpt is the run's output for the play name (or the whole output when
// the play never started) and its standard error.
func (r *engineRun) excerpt(play string) string {
	out := r.res.Stdout
	if i := strings.Index(out, "PLAY ["+play+"]"); i >= 0 {
		out = out[i:]
		if j := strings.Index(out[1:], "\nPLAY "); j >= 0 {
			out = out[:j+1]
		}
	}
	return out + "\n" + r.res.Stderr
}

// writePlaybook writes dir/site.yml: a play named name over the tasks,
// each registered as r<i> with ignore_errors, then a dump of all results to
// {{ dump_dir }}/NAME.json on the controller. diff is the play's diff
// mode. It returns the number of tasks.
func writePlaybook(t *testing.T, dir, name, tasks string, diff bool) int {
	t.Helper()
	v, _, err := yamlx.Load([]byte(tasks), "tasks")
	if err != nil {
		t.Fatal(err)
	}
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("tasks are not a list: %T", v)
	}
	var names []string
	for i, task := range list {
		d := task.(*value.Dict)
		d.Set("register", fmt.Sprintf("r%d", i))
		d.Set("ignore_errors", true)
		names = append(names, fmt.Sprintf("r%d", i))
	}
	dump := value.DictOf(
		"copy", value.DictOf("content", "{{ ["+strings.Join(names, ", ")+"] | to_json }}", "dest", "{{ dump_dir }}/"+name+".json"),
		"delegate_to", "localhost", "check_mode", false, "diff", false)
	list = append(list, dump)
	play := value.DictOf("name", name, "hosts", "all", "gather_facts", false, "diff", diff, "tasks", list)
	writePlays(t, filepath.Join(dir, "site.yml"), []any{play})
	return len(names)
}
