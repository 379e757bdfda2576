package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// mountPart mounts tmpfs file systems: each lab host has its own mount namespace.
func mountPart() labdiff.Part {
	state := shell("cat /etc/fstab /tmp/fstab-test 2>&1; findmnt -n -o TARGET,SOURCE,FSTYPE,OPTIONS /mnt/gt 2>&1; ls -d /mnt/gt /mnt/gp 2>&1; true")
	keys := []string{"name", "src", "fstype", "opts", "dump", "passno", "fstab", "boot", "backup_file", "msg"}
	tmpfs := "{path: /mnt/gt, src: tmpfs, fstype: tmpfs, opts: 'size=1m', state: mounted}"
	steps := []step{
		{Module: "mount", Args: tmpfs, Check: true, Keys: keys},
		state,
		{Module: "mount", Args: tmpfs, Keys: keys},
		state,
		{Module: "mount", Args: tmpfs, Keys: keys},
		{Module: "ansible.posix.mount", Args: "{path: /mnt/gt, src: tmpfs, fstype: tmpfs, opts: 'size=2m', state: mounted}", Keys: keys},
		state,
		{Module: "mount", Args: "{path: /mnt/gt, state: remounted}", Keys: keys},
		{Module: "mount", Args: "{path: /mnt/gt, state: unmounted}", Keys: keys},
		{Module: "mount", Args: "{path: /mnt/gt, state: unmounted}", Keys: keys},
		state,
		{Module: "mount", Args: "{path: /mnt/gp, src: 'LABEL=data dir', fstype: ext4, boot: false, state: present}", Keys: keys},
		{Module: "mount", Args: "{path: /mnt/gp, src: 'LABEL=data dir', fstype: ext4, boot: false, state: present}", Keys: keys},
		{Module: "mount", Args: "{path: /srv/x, src: /dev/sdz1, fstype: xfs, opts: noatime, dump: '1', passno: '2', fstab: /tmp/fstab-test, state: present}", Keys: keys},
		{Module: "mount", Args: "{path: /mnt/bad, src: /dev/no-such-dev, fstype: ext4, state: mounted}", Keys: keys},
		state,
		{Module: "mount", Args: "{path: /mnt/gt, src: tmpfs, fstype: tmpfs, opts: 'size=2m', state: mounted}", Keys: keys},
		{Module: "mount", Args: "{path: /mnt/gt, state: absent}", Keys: keys},
		{Module: "mount", Args: "{path: /mnt/gp, state: absent_from_fstab}", Keys: keys},
		{Module: "mount", Args: "{path: /mnt/gt, state: mounted}", Keys: keys},
		state,
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		if s := got[3]["stdout"].(string); !strings.Contains(s, "tmpfs /mnt/gt tmpfs size=1m 0 0") || !strings.Contains(s, "/mnt/gt tmpfs  tmpfs") {
			t.Errorf("not mounted:\n%s", s)
		}
	}}
}
