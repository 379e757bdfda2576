package rhel_test

import (
	"testing"

	"gorun/test/labdiff"
)

// step and shell are the differential test's steps (see labdiff).
type step = labdiff.Step

var shell = labdiff.Shell

// TestRHELModulesLab runs every lab test of the package on one shared lab:
// each module's steps run with ansible-playbook on one host and with gorun
// on the other, and the results and the hosts' state must agree. The
// yum_repository test runs first (the dnf test then replaces the .repo
// files); rpm_key and dnf share rpm's database and run one after the
// other; firewalld and selinux touch nothing of the others' and run beside them.
func TestRHELModulesLab(t *testing.T) {
	l := labdiff.Setup(t)
	t.Run("yum_repository", func(t *testing.T) { testYumRepository(t, l) })
	t.Run("group", func(t *testing.T) {
		t.Run("rpm", func(t *testing.T) {
			t.Parallel()
			t.Run("rpm_key", func(t *testing.T) { testRPMKey(t, l) })
			t.Run("dnf", func(t *testing.T) { testDNF(t, l) })
		})
		t.Run("firewalld", func(t *testing.T) {
			t.Parallel()
			t.Run("offline", func(t *testing.T) { testFirewalldOffline(t, l) })
			t.Run("online", func(t *testing.T) { testFirewalldOnline(t, l) })
		})
		t.Run("selinux", func(t *testing.T) {
			t.Parallel()
			testSELinuxConfig(t, l)
		})
	})
}
