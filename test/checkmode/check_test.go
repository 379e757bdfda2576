// Package checkmode proves that --check changes nothing on the target: it
// runs a playbook of every module that changes hosts with --check against a
// lab host and compares the host's overlay upper directory (every file the
// host ever changed) before and after.
package checkmode

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"

	"gorun/test/e2e"
	"gorun/test/fleet"
	"gorun/test/labenv"
)

// slowEnv turns the slow suites on (make test-slow sets it).
const slowEnv = "GORUN_SLOW_TESTS"

// volatile are files the host changes by itself while a play logs in:
// sshd's login records.
var volatile = map[string]bool{"/var/log/wtmp": true, "/var/log/btmp": true, "/var/log/lastlog": true}

// snapshot describes every entry of a host's upper directory: type,
// mode, owner, size and content hash (directories: their entries).
func snapshot(t *testing.T, upper string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(upper, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := "/" + strings.TrimPrefix(strings.TrimPrefix(path, upper), "/")
		if volatile[rel] {
			return nil
		}
		fi, err := os.Lstat(path)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		desc := fmt.Sprintf("%v %d:%d size=%d", fi.Mode(), st.Uid, st.Gid, fi.Size())
		switch {
		case fi.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			desc += " sha256=" + hex.EncodeToString(sum[:8])
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(path)
			desc += " -> " + target
		}
		snap[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// diff lists what differs between two snapshots.
func diff(before, after map[string]string) []string {
	var out []string
	for p, a := range after {
		if b, ok := before[p]; !ok {
			out = append(out, "added "+p+": "+a)
		} else if a != b {
			out = append(out, "changed "+p+": "+b+" => "+a)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, "removed "+p)
		}
	}
	sort.Strings(out)
	return out
}

// TestSlowCheckModeChangesNothing runs every module that changes hosts with
// --check and checks the host's upper directory is as it was; the same
// playbook without --check must then change the host, so that the check run
// had something to leave alone.
func TestSlowCheckModeChangesNothing(t *testing.T) {
	if os.Getenv(slowEnv) == "" {
		t.Skipf("slow suite: set %s=1 (make test-slow)", slowEnv)
	}
	lab := labenv.ForTest(t, 1)
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts")
	if err := lab.WriteInventory(inv, "ini"); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"site.yml": checkPlaybook, "files/src.txt": "source\n", "templates/t.j2": "{{ inventory_hostname }}\n",
		"files/script.sh": "#!/bin/sh\ntouch /tmp/check-script\n", "files/parts/a": "a\n", "files/parts/b": "b\n",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	gorun := e2e.Gorun(t)
	run := func(args ...string) e2e.Result {
		return e2e.Run(t, gorun, append([]string{"-i", inv, "site.yml"}, args...), e2e.Options{Dir: dir})
	}
	// Prepare the files the edits work on, then take the snapshot.
	if res := run("--tags", "setup"); res.ExitCode != 0 {
		t.Fatalf("setup: exit %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	upper := lab.Hosts[0].UpperDir
	before := snapshot(t, upper)

	res := run("--check", "--skip-tags", "setup")
	if res.ExitCode != 0 {
		t.Fatalf("--check: exit %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if d := diff(before, snapshot(t, upper)); len(d) > 0 {
		t.Errorf("--check changed the host:\n%s\n%s", strings.Join(d, "\n"), res.Stdout)
	}
	if !strings.Contains(res.Stdout, "changed=") || strings.Contains(res.Stdout, "changed=0 ") {
		t.Errorf("--check predicted no change, so it proves nothing:\n%s", res.Stdout)
	}

	res = run("--skip-tags", "setup")
	if res.ExitCode != 0 {
		t.Fatalf("real run: exit %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if d := diff(before, snapshot(t, upper)); len(d) == 0 {
		t.Errorf("the real run changed nothing either: the check proved nothing")
	}
}

// checkPlaybook uses every module that changes a host and works in the
// lab (no network, no systemd, no libvirt).
const checkPlaybook = `- hosts: lab
  gather_facts: false
  tasks:
    - name: setup
      tags: [setup]
      copy: {dest: "/etc/check-{{ item }}", content: "[s]\nk = 1\n# line\nold text\n"}
      loop: [lineinfile, blockinfile, replace, ini, sysctl]
    - name: setup archive
      tags: [setup]
      shell: mkdir -p /tmp/check-arch && cd /tmp/check-arch && echo x > x && tar czf /tmp/check.tgz x && rm -rf /tmp/check-arch

    - copy: {src: src.txt, dest: /etc/check-copy}
    - copy: {content: "inline\n", dest: /etc/check-copy2, mode: "0600"}
    - file: {path: /etc/check-dir/sub, state: directory}
    - file: {path: /etc/check-touch, state: touch}
    - file: {path: /etc/check-link, src: /etc/hostname, state: link}
    - file: {path: /etc/check-lineinfile, mode: "0600"}
    - file: {path: /etc/check-sysctl, state: absent}
    - lineinfile: {path: /etc/check-lineinfile, line: "added"}
    - blockinfile: {path: /etc/check-blockinfile, block: "block"}
    - replace: {path: /etc/check-replace, regexp: old, replace: new}
    - ini_file: {path: /etc/check-ini, section: s, option: k, value: "2"}
    - template: {src: t.j2, dest: /etc/check-template}
    - assemble: {src: "{{ playbook_dir }}/files/parts", dest: /etc/check-assembled, remote_src: false}
    - unarchive: {src: /tmp/check.tgz, dest: /opt, remote_src: true}
    - tempfile: {state: file}
    - user: {name: checkuser, shell: /bin/sh}
    - group: {name: checkgroup}
    - authorized_key: {user: root, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJvZ3VzYm9ndXNib2d1c2JvZ3VzYm9ndXNib2d1c2JvZ3Vz check"}
    - pam_limits: {domain: checkuser, limit_type: soft, limit_item: nofile, value: "1024"}
    - hostname: {name: checkhost}
    - sysctl: {name: vm.swappiness, value: "11", sysctl_file: /etc/check-sysctl.conf, reload: false}
    - debconf: {name: tzdata, question: tzdata/Areas, value: Europe, vtype: select}
    - command: touch /tmp/check-command
    - shell: touch /tmp/check-shell
    - raw: touch /tmp/check-raw
    - script: script.sh
    - get_url: {url: "file:///etc/hostname", dest: /etc/check-get_url}
`

// TestSlowSiteCheckChangesNothing runs the fleet's playbooks/site.yml with
// --check on three fresh lab hosts carrying the lab inventory's groups: no
// host's upper directory may change, although the check predicts changes.
func TestSlowSiteCheckChangesNothing(t *testing.T) {
	if os.Getenv(slowEnv) == "" {
		t.Skipf("slow suite: set %s=1 (make test-slow)", slowEnv)
	}
	lab := labenv.ForTest(t, 3)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	inv := fleet.LabInventory(t, lab, root)
	before := map[string]map[string]string{}
	for _, h := range lab.Hosts {
		before[h.Name] = snapshot(t, h.UpperDir)
	}
	res := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, "playbooks/site.yml", "--check"}, e2e.Options{Dir: root})
	if res.ExitCode != 0 {
		t.Fatalf("site.yml --check: exit %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if !strings.Contains(res.Stdout, "changed=") || !regexpChanged.MatchString(res.Stdout) {
		t.Errorf("--check predicted no change, so it proves nothing:\n%s", res.Stdout)
	}
	for _, h := range lab.Hosts {
		if d := diff(before[h.Name], snapshot(t, h.UpperDir)); len(d) > 0 {
			t.Errorf("site.yml --check changed %s:\n%s", h.Name, strings.Join(d, "\n"))
		}
	}
}

// regexpChanged finds a recap line with changes.
var regexpChanged = regexp.MustCompile(`changed=[1-9]`)
