package system_test

import (
	"sync"
	"testing"

	"gorun/test/labdiff"
)

// TestLab runs the differential tests of every module on one shared lab,
// all at once, each on its own pair of hosts. The cases are started from
// goroutines rather than with t.Parallel, which go test limits to
// GOMAXPROCS at a time (two here): most of a case's time is spent waiting
// for ansible-playbook and the hosts, not computing.
func TestLab(t *testing.T) {
	cases := []struct {
		name string
		f    func(*testing.T, *labdiff.Lab)
	}{
		{"apt", testApt},
		{"service", testService},
		{"user", testUser},
		{"authorized_key", testAuthorizedKey},
		{"cron_sysctl", testCronSysctl},
		{"mount_nmcli", func(t *testing.T, l *labdiff.Lab) {
			startNetworkManager(t, l)
			l.DiffParts(t, mountPart(), nmcliPart())
		}},
		{"wait_for_hostname", testWaitForHostname},
		{"debian_config", testDebianConfig},
		{"apt_sources_git", func(t *testing.T, l *labdiff.Lab) {
			l.DiffParts(t, aptSourcesPart(t), gitPart())
			testGitFromController(t, l)
		}},
		{"config_facts", func(t *testing.T, l *labdiff.Lab) {
			l.DiffParts(t, knownHostsPart(t), timezoneAlternativesPart(), factsPart())
		}},
		{"sysvinit_reboot", func(t *testing.T, l *labdiff.Lab) {
			l.DiffParts(t, sysvinitPart(), rebootPart())
			l.GorunParts(t, sysvinitDaemonizePart(), rebootOutagePart())
		}},
		{"iptables", testIptables},
	}
	pairs := labdiff.Pairs(t, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		// Every module's results were checked to be the same with
		// Ansible's pipelining, which saves three SSH sessions a task.
		pairs[i].Pipelining = true
		wg.Go(func() { t.Run(c.name, func(t *testing.T) { c.f(t, pairs[i]) }) })
	}
	wg.Wait()
}
