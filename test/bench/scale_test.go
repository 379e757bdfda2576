package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// BenchmarkScale runs the scale play over many targets from one gorun
// process with forks = targets: 10 lab hosts whose sshd listens on many
// ports, each port a target (1,000 by default; GORUN_SCALE_TARGETS sets
// another multiple of 10). It reports the wall time, gorun's peak memory
// (in all and per target) and its peak number of open files.
//
//	make bench-scale
func BenchmarkScale(b *testing.B) {
	targets := 1000
	if v := os.Getenv("GORUN_SCALE_TARGETS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 || n%10 != 0 {
			b.Fatalf("GORUN_SCALE_TARGETS=%q: want a multiple of 10", v)
		}
		targets = n
	}
	lab := labenv.ForTestWith(b, 10, labenv.Options{PortsPerHost: targets / 10})
	inv := inventoryFor(b, lab)
	pb, err := filepath.Abs("testdata/scale/scale.yml")
	if err != nil {
		b.Fatal(err)
	}
	gorun := e2e.Gorun(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run := runMeasured(b, gorun, "-i", inv, "-f", strconv.Itoa(targets), pb)
		if run.exit != 0 || strings.Count(run.stdout, "failed=0") != targets {
			// The targets that went wrong, wherever they are in the output.
			var bad []string
			for _, l := range strings.Split(run.stdout, "\n") {
				if strings.Contains(l, "UNREACHABLE") || strings.Contains(l, "unreachable=1") || strings.Contains(l, "FAILED") {
					bad = append(bad, l)
				}
			}
			b.Fatalf("exit %d, %d of %d targets without failures\n%s\nunreachable or failed:\n%s", run.exit,
				strings.Count(run.stdout, "failed=0"), targets, tail(run.stdout, 10), strings.Join(bad, "\n"))
		}
		b.ReportMetric(run.wall.Seconds(), "s/run")
		b.ReportMetric(float64(run.maxRSS)/(1<<20), "peak-MB")
		b.ReportMetric(float64(run.maxRSS)/(1<<20)/float64(targets), "MB/target")
		b.ReportMetric(float64(run.maxFDs), "peak-fds")
	}
}

type measured struct {
	exit   int
	stdout string
	wall   time.Duration
	maxRSS int64 // bytes
	maxFDs int
}

// runMeasured runs gorun, sampling its open files every 50 ms; the peak
// resident memory comes from the kernel's rusage of the finished process.
func runMeasured(b *testing.B, bin string, args ...string) measured {
	cmd := exec.Command(bin, args...)
	cmd.Env = e2e.Env(b, e2e.Options{})
	cmd.Dir = b.TempDir()
	out, err := os.CreateTemp(b.TempDir(), "stdout")
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	peak := make(chan int)
	go func() {
		maxFDs := 0
		fdDir := fmt.Sprintf("/proc/%d/fd", cmd.Process.Pid)
		for {
			if fds, err := os.ReadDir(fdDir); err == nil && len(fds) > maxFDs {
				maxFDs = len(fds)
			}
			select {
			case <-done:
				peak <- maxFDs
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	err = cmd.Wait()
	wall := time.Since(start)
	close(done)
	m := measured{wall: wall, maxFDs: <-peak}
	if err != nil && cmd.ProcessState == nil {
		b.Fatal(err)
	}
	m.exit = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	data, _ := os.ReadFile(out.Name())
	m.stdout = string(data)
	return m
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
