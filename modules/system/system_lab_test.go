package system_test

import "testing"

// TestLab runs the differential tests of every module on one shared lab.
func TestLab(t *testing.T) {
	l := setup(t)
	for _, c := range []struct {
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
	} {
		t.Run(c.name, func(t *testing.T) { c.f(t, l) })
	}
}
