package system_test

import (
	"sync"
	"testing"

	"gorun/test/labdiff"
)

// concurrentCases is how many of TestLab's cases run at once. Most of a
// case's time is spent waiting (for apt's and git's disk writes, module
// timeouts, NetworkManager), so more than two run on two cores; but a case
// is one or two ansible-playbook runs that each must finish within their
// time limit, and a dozen at once on a loaded machine did not.
const concurrentCases = 4

// TestLab runs the differential tests of every module on one shared lab,
// concurrentCases at a time, each on its own pair of hosts, the longest
// first (as measured: 9 minutes for apt_sources_git under load, 1.5 for
// wait_for_hostname). The cases are started from goroutines rather than with
// t.Parallel, which go test limits to GOMAXPROCS at a time (two here).
func TestLab(t *testing.T) {
	cases := []struct {
		name string
		f    func(*testing.T, *labdiff.Lab)
	}{
		{"apt_sources_git", func(t *testing.T, l *labdiff.Lab) {
			l.DiffParts(t, aptSourcesPart(t), gitPart())
			testGitFromController(t, l)
		}},
		{"apt", testApt},
		{"debian_config", testDebianConfig},
		{"config_facts", func(t *testing.T, l *labdiff.Lab) {
			l.DiffParts(t, knownHostsPart(t), timezoneAlternativesPart(), factsPart())
		}},
		{"mount_nmcli", func(t *testing.T, l *labdiff.Lab) {
			startNetworkManager(t, l)
			l.DiffParts(t, mountPart(), nmcliPart())
		}},
		{"cron_sysctl", testCronSysctl},
		{"user", testUser},
		{"sysvinit_reboot", func(t *testing.T, l *labdiff.Lab) {
			l.DiffParts(t, sysvinitPart(), rebootPart())
			l.GorunParts(t, sysvinitDaemonizePart(), rebootOutagePart())
		}},
		{"authorized_key", testAuthorizedKey},
		{"service", testService},
		{"iptables", testIptables},
		{"wait_for_hostname", testWaitForHostname},
	}
	pairs := labdiff.Pairs(t, len(cases))
	running := make(chan struct{}, concurrentCases)
	var wg sync.WaitGroup
	for i, c := range cases {
		// Every module's results were checked to be the same with
		// Ansible's pipelining, which saves three SSH sessions a task.
		pairs[i].Pipelining = true
		running <- struct{}{} // in order: the longest start first
		wg.Go(func() {
			defer func() { <-running }()
			t.Run(c.name, func(t *testing.T) { c.f(t, pairs[i]) })
		})
	}
	wg.Wait()
}
