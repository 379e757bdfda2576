package bench

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

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

// BenchmarkEveryday runs the everyday play on 3 and 10 lab hosts with gorun,
// ansible-playbook at default settings and ansible-playbook tuned
// (pipelining, forks = hosts), and the bare-SSH floor: 22 commands per host
// over one connection each, all hosts at once.
//
//	make bench   (go test -run X -bench Everyday -benchtime 3x ./test/bench)
func BenchmarkEveryday(b *testing.B) {
	pb := everyday(b)
	gorun := e2e.Gorun(b)
	for _, n := range []int{3, 10} {
		lab := labenv.ForTest(b, n)
		inv := inventoryFor(b, lab)
		forks := fmt.Sprint(n)
		// Converge once so every engine measures the same (idempotent) run.
		if r := e2e.Run(b, gorun, []string{"-i", inv, pb}, e2e.Options{}); r.ExitCode != 0 {
			b.Fatalf("converge: exit %d\n%s", r.ExitCode, r.Stdout)
		}
		b.Run(fmt.Sprintf("hosts=%d/floor", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bareSSH(b, lab, 22)
			}
		})
		b.Run(fmt.Sprintf("hosts=%d/gorun", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := e2e.Run(b, gorun, []string{"-i", inv, "-f", forks, pb}, e2e.Options{}); r.ExitCode != 0 {
					b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
				}
			}
		})
		b.Run(fmt.Sprintf("hosts=%d/ansible-default", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := e2e.Ansible(b, "ansible-playbook", "-i", inv, pb); r.ExitCode != 0 {
					b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
				}
			}
		})
		b.Run(fmt.Sprintf("hosts=%d/ansible-tuned", n), func(b *testing.B) {
			opts := e2e.Options{Env: []string{"ANSIBLE_PIPELINING=True"}}
			for i := 0; i < b.N; i++ {
				if r := e2e.AnsibleWith(b, opts, "ansible-playbook", "-i", inv, "-f", forks, pb); r.ExitCode != 0 {
					b.Fatalf("exit %d\n%s", r.ExitCode, r.Stdout)
				}
			}
		})
	}
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
