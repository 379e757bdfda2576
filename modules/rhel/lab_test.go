package rhel_test

import (
	"sync"
	"testing"

	"gorun/test/labdiff"
)

// step and shell are the differential test's steps (see labdiff).
type step = labdiff.Step

var shell = labdiff.Shell

// TestRHELModulesLab runs every lab test of the package on one shared lab:
// each module's steps run with ansible-playbook on one host and with gorun
// on the other, and the results and the hosts' state must agree. The
// modules' steps are joined into three plays (three ansible-playbook runs
// instead of six) that run at once:
//   - rpm, on the first pair of hosts: yum_repository, then rpm_key and
//     dnf (the dnf steps replace the .repo files; rpm_key and dnf share
//     rpm's database);
//   - fw_se, beside it on the same hosts: the offline firewalld steps and
//     the selinux ones (they touch nothing of each other's or of rpm's);
//   - fw_online, on the second pair: the online firewalld steps, with the
//     daemon running (on hosts of their own, so that they need not wait
//     for the offline steps, whose zone files they would remove).
//
// Ansible runs pipelined: one SSH session a task instead of four. Every
// compared result was the same with it (the steps and their comparisons
// are as before).
func TestRHELModulesLab(t *testing.T) {
	pairs := labdiff.Pairs(t, 2)
	for _, l := range pairs {
		l.Pipelining = true
	}
	// Short names: Ansible's ssh ControlPath lives in a temporary
	// directory named after the test, and a socket's path is short. The
	// plays are started from goroutines rather than with t.Parallel, which
	// go test limits to GOMAXPROCS (two here) at a time.
	plays := []struct {
		name string
		f    func(t *testing.T)
	}{
		{"rpm", func(t *testing.T) { pairs[0].DiffParts(t, yumRepositoryPart(), rpmKeyPart(t), dnfPart()) }},
		{"fw_se", func(t *testing.T) { pairs[0].DiffParts(t, firewalldOfflinePart(), selinuxPart()) }},
		{"fw_online", func(t *testing.T) { testFirewalldOnline(t, pairs[1]) }},
	}
	var wg sync.WaitGroup
	for _, p := range plays {
		wg.Go(func() { t.Run(p.name, p.f) })
	}
	wg.Wait()
}
