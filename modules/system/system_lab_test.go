package system_test

import "testing"

// TestLab runs the differential tests of every module on one shared lab,
// in parallel, each on its own pair of hosts.
func TestLab(t *testing.T) {
	cases := []struct {
		name string
		f    func(*testing.T, *lab)
	}{
		{"apt", testApt},
		{"service", testService},
		{"user", testUser},
		{"authorized_key", testAuthorizedKey},
		{"cron_sysctl", testCronSysctl},
		{"mount_nmcli", inSequence(testMount, testNmcli)},
		{"wait_for_hostname", testWaitForHostname},
		{"debian_config", testDebianConfig},
		{"apt_sources_git", inSequence(testAptSources, testGit, testGitFromController)},
		{"config_facts", inSequence(testKnownHosts, testTimezoneAlternatives, testFacts)},
		{"sysvinit_reboot", inSequence(testSysvinit, testReboot)},
	}
	pairs := setup(t, len(cases))
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.f(t, pairs[i])
		})
	}
}

// inSequence runs several module groups one after the other on one pair of
// hosts, so that they share it.
func inSequence(tests ...func(*testing.T, *lab)) func(*testing.T, *lab) {
	return func(t *testing.T, l *lab) {
		for _, f := range tests {
			f(t, l)
		}
	}
}
