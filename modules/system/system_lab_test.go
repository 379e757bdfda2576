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
		{"mount", testMount},
		{"wait_for_hostname", testWaitForHostname},
		{"debian_config", testDebianConfig},
	}
	pairs := setup(t, len(cases))
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.f(t, pairs[i])
		})
	}
}
