package system_test

import (
	"strings"
	"testing"
)

// testMount mounts tmpfs file systems: each lab host has its own mount namespace.
func testMount(t *testing.T, l *lab) {
	state := shell("cat /etc/fstab /tmp/fstab-test 2>&1; findmnt -n -o TARGET,SOURCE,FSTYPE,OPTIONS /mnt/gt 2>&1; ls -d /mnt/gt /mnt/gp 2>&1; true")
	keys := []string{"name", "src", "fstype", "opts", "dump", "passno", "fstab", "boot", "backup_file", "msg"}
	tmpfs := "{path: /mnt/gt, src: tmpfs, fstype: tmpfs, opts: 'size=1m', state: mounted}"
	steps := []step{
		{module: "mount", args: tmpfs, check: true, keys: keys},
		state,
		{module: "mount", args: tmpfs, keys: keys},
		state,
		{module: "mount", args: tmpfs, keys: keys},
		{module: "ansible.posix.mount", args: "{path: /mnt/gt, src: tmpfs, fstype: tmpfs, opts: 'size=2m', state: mounted}", keys: keys},
		state,
		{module: "mount", args: "{path: /mnt/gt, state: remounted}", keys: keys},
		{module: "mount", args: "{path: /mnt/gt, state: unmounted}", keys: keys},
		{module: "mount", args: "{path: /mnt/gt, state: unmounted}", keys: keys},
		state,
		{module: "mount", args: "{path: /mnt/gp, src: 'LABEL=data dir', fstype: ext4, boot: false, state: present}", keys: keys},
		{module: "mount", args: "{path: /mnt/gp, src: 'LABEL=data dir', fstype: ext4, boot: false, state: present}", keys: keys},
		{module: "mount", args: "{path: /srv/x, src: /dev/sdz1, fstype: xfs, opts: noatime, dump: '1', passno: '2', fstab: /tmp/fstab-test, state: present}", keys: keys},
		{module: "mount", args: "{path: /mnt/bad, src: /dev/no-such-dev, fstype: ext4, state: mounted}", keys: keys},
		state,
		{module: "mount", args: "{path: /mnt/gt, src: tmpfs, fstype: tmpfs, opts: 'size=2m', state: mounted}", keys: keys},
		{module: "mount", args: "{path: /mnt/gt, state: absent}", keys: keys},
		{module: "mount", args: "{path: /mnt/gp, state: absent_from_fstab}", keys: keys},
		{module: "mount", args: "{path: /mnt/gt, state: mounted}", keys: keys},
		state,
	}
	got := l.diffPlay(t, steps)
	if s := got[3]["stdout"].(string); !strings.Contains(s, "tmpfs /mnt/gt tmpfs size=1m 0 0") || !strings.Contains(s, "/mnt/gt tmpfs  tmpfs") {
		t.Errorf("not mounted:\n%s", s)
	}
}
