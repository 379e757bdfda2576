package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

var recapLine = regexp.MustCompile(`(?m)^(\S+)\s+: (ok=.*)$`)

// recap extracts the PLAY RECAP lines, spacing collapsed, sorted by host.
func recap(out string) string {
	var lines []string
	for _, m := range recapLine.FindAllStringSubmatch(out, -1) {
		lines = append(lines, m[1]+" "+strings.Join(strings.Fields(m[2]), " "))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func everyday(t testing.TB) string {
	p, err := filepath.Abs("testdata/everyday/everyday.yml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func inventoryFor(t testing.TB, lab *labenv.Lab) string {
	inv := filepath.Join(t.TempDir(), "hosts")
	if err := lab.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	return inv
}

// TestEverydaySameRecapAsAnsible runs the everyday play on two fresh labs,
// one with ansible-playbook and one with gorun, twice each: the recaps of
// the first runs (changes) and of the second runs (idempotence) must agree.
func TestEverydaySameRecapAsAnsible(t *testing.T) {
	if testing.Short() {
		t.Skip("runs ansible-playbook on lab hosts")
	}
	pb := everyday(t)
	labA, labB := labenv.ForTest(t, 2), labenv.ForTest(t, 2)
	invA, invB := inventoryFor(t, labA), inventoryFor(t, labB)
	gorun := e2e.Gorun(t)
	for run := 1; run <= 2; run++ {
		want := e2e.Ansible(t, "ansible-playbook", "-i", invA, pb)
		got := e2e.Run(t, gorun, []string{"-i", invB, pb}, e2e.Options{})
		if got.ExitCode != want.ExitCode || recap(got.Stdout) != recap(want.Stdout) {
			t.Errorf("run %d: exit %d (ansible %d)\ngorun recap:\n%s\nansible recap:\n%s\n--- gorun output\n%s%s",
				run, got.ExitCode, want.ExitCode, recap(got.Stdout), recap(want.Stdout), got.Stdout, got.Stderr)
		}
	}
}

// benchPlays are the plays BenchmarkPlays measures, by name: everyday
// (22 tasks as configuration roles are made of, with facts), facts (fact
// gathering and one task) and manyfiles (40 files from loops).
var benchPlays = []string{"everyday", "facts", "manyfiles"}

// BenchmarkPlays runs each play on fresh labs of 3, 10 and 50 hosts
// (GORUN_BENCH_HOSTS=3,10 picks sizes) with gorun, ansible-playbook at
// default settings and ansible-playbook tuned (pipelining, forks = hosts),
// one after the other on the same hosts, after one converging run whose
// recaps must agree; and the bare-SSH floor for the same number of remote
// commands as the play has tasks. The engines run b.N rounds, each engine
// once per round; the sub-benchmark (PLAY/hosts=N) reports each engine's
// median wall time (ENGINE-s) and machine CPU per run (ENGINE-cpu-s), and
// the medians of the rounds' ratios: gorun to the floor (x-floor) and
// tuned Ansible to gorun (x-faster-than-tuned).
//
// GORUN_BENCH_NO_ANSIBLE=1 leaves ansible-playbook out (no recap
// comparison, no Ansible timings): for quick iterations on gorun's speed,
// where only its distance from the floor is wanted. GORUN_BENCH_BASE=PATH
// measures another gorun binary too (engine gorun-base), to compare
// a change with the build before it in the same run.
//
//	make bench   (go test -run X -bench Plays -benchtime 5x ./test/bench)
func BenchmarkPlays(b *testing.B) {
	gorun := e2e.Gorun(b)
	withAnsible := os.Getenv("GORUN_BENCH_NO_ANSIBLE") == ""
	sizes := []int{3, 10, 50}
	if v := os.Getenv("GORUN_BENCH_HOSTS"); v != "" {
		sizes = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("GORUN_BENCH_HOSTS=%q: want host counts like 3,10", v)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		lab := labenv.ForTest(b, n)
		inv := inventoryFor(b, lab)
		forks := fmt.Sprint(n)
		for _, name := range benchPlays {
			pb, err := filepath.Abs(filepath.Join("testdata", name, name+".yml"))
			if err != nil {
				b.Fatal(err)
			}
			// Converge with both engines; their recaps of the converged
			// state must agree, so both measure the same (idempotent) run.
			e2e.Run(b, gorun, []string{"-i", inv, pb}, e2e.Options{})
			g := e2e.Run(b, gorun, []string{"-i", inv, pb}, e2e.Options{})
			if g.ExitCode != 0 {
				b.Fatalf("%s on %d hosts: exit %d\n%s", name, n, g.ExitCode, g.Stdout)
			}
			if withAnsible {
				a := e2e.Ansible(b, "ansible-playbook", "-i", inv, pb)
				if a.ExitCode != 0 || recap(g.Stdout) != recap(a.Stdout) {
					b.Fatalf("%s on %d hosts: exit %d (ansible %d), recaps differ:\n%s\n--- ansible\n%s",
						name, n, g.ExitCode, a.ExitCode, recap(g.Stdout), recap(a.Stdout))
				}
			}
			// The floor runs one command per task and loop item of one host.
			first := lab.Hosts[0].Name
			tasks := 0
			for _, status := range []string{"ok", "changed", "skipping"} {
				tasks += strings.Count(g.Stdout, "\n"+status+": ["+first+"]")
			}
			// The engines run in rounds, one after the other in each round,
			// so that all of them meet the machine as it is at that moment:
			// this VM's speed drifts by a third from one minute to the next,
			// which made the ratio of medians taken minutes apart swing.
			type engine struct {
				name string
				run  func()
			}
			engines := []engine{{"floor", func() { bareSSH(b, lab, tasks) }}}
			if withAnsible {
				engines = append(engines,
					engine{"ansible-default", func() {
						if r := e2e.Ansible(b, "ansible-playbook", "-i", inv, pb); r.ExitCode != 0 {
							b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
						}
					}},
					engine{"ansible-tuned", func() {
						opts := e2e.Options{Env: []string{"ANSIBLE_PIPELINING=True"}}
						if r := e2e.AnsibleWith(b, opts, "ansible-playbook", "-i", inv, "-f", forks, pb); r.ExitCode != 0 {
							b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
						}
					}})
			}
			gorunEngine := func(name, bin string) engine {
				return engine{name, func() {
					if r := e2e.Run(b, bin, []string{"-i", inv, "-f", forks, pb}, e2e.Options{}); r.ExitCode != 0 {
						b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
					}
				}}
			}
			if base := os.Getenv("GORUN_BENCH_BASE"); base != "" {
				engines = append(engines, gorunEngine("gorun-base", base))
			}
			engines = append(engines, gorunEngine("gorun", gorun))
			b.Run(fmt.Sprintf("%s/hosts=%d", name, n), func(b *testing.B) {
				times := map[string][]time.Duration{}
				cpu := map[string][]time.Duration{}
				var toFloor, toTuned []float64
				for i := 0; i < b.N; i++ {
					round := map[string]time.Duration{}
					for _, e := range engines {
						start, cpuStart := time.Now(), machineCPU()
						e.run()
						round[e.name] = time.Since(start)
						times[e.name] = append(times[e.name], round[e.name])
						cpu[e.name] = append(cpu[e.name], machineCPU()-cpuStart)
					}
					toFloor = append(toFloor, round["gorun"].Seconds()/round["floor"].Seconds())
					if withAnsible {
						toTuned = append(toTuned, round["ansible-tuned"].Seconds()/round["gorun"].Seconds())
					}
				}
				// Per engine: the median wall time and the machine's CPU
				// time per run (engine, sshd and the hosts' processes: on a
				// machine the run keeps busy, wall time follows it).
				for _, e := range engines {
					b.ReportMetric(median(times[e.name]).Seconds(), e.name+"-s")
					b.ReportMetric(median(cpu[e.name]).Seconds(), e.name+"-cpu-s")
				}
				// The ratios are the medians of each round's own.
				b.ReportMetric(median(toFloor), "x-floor")
				if withAnsible {
					b.ReportMetric(median(toTuned), "x-faster-than-tuned")
				}
			})
		}
	}
}

// median is the middle of the values, times or ratios (the mean of the
// two middle ones for an even count).
func median[T time.Duration | float64](values []T) T {
	if len(values) == 0 {
		return 0
	}
	s := slices.Clone(values)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// bareSSH is the floor: the least any engine can do, one connection per
// host and one remote command per task.
func bareSSH(b *testing.B, lab *labenv.Lab, commands int) {
	var wg sync.WaitGroup
	errs := make(chan error, len(lab.Hosts))
	for _, h := range lab.Hosts {
		wg.Add(1)
		go func(name string) {
			defer wg.Done()
			c, err := lab.Dial(name, "root")
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			for i := 0; i < commands; i++ {
				s, err := c.NewSession()
				if err != nil {
					errs <- err
					return
				}
				err = s.Run("true")
				s.Close()
				if err != nil {
					errs <- err
					return
				}
			}
		}(h.Name)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// machineCPU is the CPU time the whole machine has spent so far (user,
// nice, system, irq and softirq from /proc/stat); 0 where it cannot be read.
func machineCPU() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0
	}
	var ticks int64
	for _, i := range []int{1, 2, 3, 6, 7} {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		ticks += n
	}
	// USER_HZ is 100 on Linux.
	return time.Duration(ticks) * 10 * time.Millisecond
}
