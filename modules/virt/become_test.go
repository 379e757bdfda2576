package virt

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// TestBecomeReachesLibvirtSocket logs in to a lab KVM host as its unprivileged
// user, who may not open libvirtd's socket: without become the libvirt
// modules fail and say so; with become: true they reach the daemon as root
// through a bridge command run with sudo (perl's, as the host has no socat),
// and a volume uploaded through libvirt's stream API over that bridge
// arrives intact.
func TestBecomeReachesLibvirtSocket(t *testing.T) {
	lab := labenv.ForTest(t, 1)
	h, _ := lab.Host("h1")
	remote := labKVMHost(t, lab, "h1", false)
	pool := "gorun-become"
	p, err := remote.StoragePoolCreateXML("<pool type='dir'><name>"+pool+"</name><target><path>/var/lib/gorun-pool</path></target></pool>", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { remote.StoragePoolDestroy(p) })

	work := t.TempDir()
	img := filepath.Join(work, "disk.img")
	data := []byte(strings.Repeat("bytes through sudo and a bridge \x00\xff\r\n", 30000))
	os.WriteFile(img, data, 0o644)
	sum := sha256.Sum256(data)
	inv := filepath.Join(work, "hosts")
	os.WriteFile(inv, []byte("h1 ansible_host="+h.Addr+" ansible_user="+labenv.BecomeUser+" ansible_ssh_private_key_file="+lab.KeyFile+
		" ansible_ssh_common_args='-o UserKnownHostsFile="+lab.KnownHostsFile+"' ansible_become_password=gorun-lab\n"), 0o644)
	pb := filepath.Join(work, "site.yml")
	os.WriteFile(pb, []byte(`- hosts: h1
  gather_facts: false
  tasks:
    - name: As the login user
      community.libvirt.virt: {command: list_vms}
      register: plain
      ignore_errors: true
    - name: As root through become
      community.libvirt.virt: {command: list_vms}
      become: true
      register: root
    - name: A volume streamed through the bridge
      gorun.kvm.volume: {pool: `+pool+`, name: up.raw, format: raw, upload: `+img+`, checksum: true}
      become: true
      register: vol
    - assert:
        that:
          - plain is failed
          - "'become' in plain.msg"
          - root is succeeded
          - vol.sha256 == '`+hex.EncodeToString(sum[:])+`'
`), 0o644)
	res := e2e.Run(t, e2e.Gorun(t), []string{"-i", inv, pb}, e2e.Options{Dir: work})
	if res.ExitCode != 0 {
		t.Fatalf("exit %d:\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	if got, err := lab.Exec("h1", "cat", "/var/lib/gorun-pool/up.raw"); err != nil || string(got) != string(data) {
		t.Errorf("the volume on h1 differs (%d bytes, %v)", len(got), err)
	}
}
