package system

import (
	"reflect"
	"testing"
)

// Unit tests of the parsers ported from Ansible's modules, with the outputs
// Ansible's Python code gives for the same input (worked out from its source).

func TestSplitSpec(t *testing.T) {
	for _, c := range []struct{ in, name, cmp, version string }{
		{"hello", "hello", "", ""},
		{"hello=2.10-3", "hello", "=", "2.10-3"},
		{"hello>=2.10", "hello", ">=", "2.10"},
		{"hello=2.10*", "hello", "=", "2.10*"},
	} {
		n, c2, v := splitSpec(c.in)
		if n != c.name || c2 != c.cmp || v != c.version {
			t.Errorf("splitSpec(%q) = %q %q %q", c.in, n, c2, v)
		}
	}
}

func TestParseSystemctlShow(t *testing.T) {
	out := "Id=dbus.service\nDescription={ weird\nExecStart={ path=/usr/bin/dbus-daemon ; argv[]=/usr/bin/dbus-daemon\n  --system }\nActiveState=active\nnoequals\n"
	got := parseSystemctlShow(out)
	want := map[string]any{"Id": "dbus.service", "Description": "{ weird", "ActiveState": "active",
		"ExecStart": "{ path=/usr/bin/dbus-daemon ; argv[]=/usr/bin/dbus-daemon\n  --system }"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v", got)
	}
}

func TestAuthorizedKeysRoundTrip(t *testing.T) {
	content := "# keys\nno-pty,from=\"10.0.0.1,10.0.0.2\" ssh-ed25519 AAAAkey1 alice@x\ngarbage line\nssh-rsa AAAAkey2\n"
	l := parseKeys(content)
	want := "# keys\nno-pty,from=\"10.0.0.1,10.0.0.2\" ssh-ed25519 AAAAkey1 alice@x\ngarbage line\nssh-rsa AAAAkey2 \n"
	if got := l.serialize(); got != want {
		t.Errorf("serialize:\n%q\nwant\n%q", got, want)
	}
	k := l.byKey["AAAAkey1"]
	if len(k.options) != 2 || k.options[0].name != "no-pty" || k.options[0].value != nil || *k.options[1].value != `"10.0.0.1,10.0.0.2"` {
		t.Errorf("options: %+v", k.options)
	}
}

func TestLinuxMounts(t *testing.T) {
	info := "22 1 0:21 / / rw - overlay overlay rw\n" +
		"30 22 0:30 / /mnt/t rw,relatime - tmpfs tmpfs rw,size=1024k\n" +
		"31 22 8:1 /srv/data /mnt/bind rw - ext4 /dev/sda1 rw\n"
	got := linuxMounts(info)
	want := map[string]string{"/": "overlay", "/mnt/t": "/", "/mnt/bind": "/srv/data"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
}

func TestSmallHelpers(t *testing.T) {
	if got := escapeFstab(`LABEL=a b&c\d`); got != `LABEL=a\040b\046c\134d` {
		t.Errorf("escapeFstab: %q", got)
	}
	for in, want := range map[string]string{"yes": "1", "False": "0", " 4096 ": "4096", "4096 87380": "4096 87380"} {
		if got := sysctlValue(in); got != want {
			t.Errorf("sysctlValue(%q) = %q", in, got)
		}
	}
	if !sameWords("4096\t87380  6291456\n", "4096 87380 6291456") || sameWords("1", "1 0") {
		t.Error("sameWords")
	}
	if pamValueError("nofile", "64000", "") != "" || pamValueError("nice", "-25", "") == "" || pamValueError("core", "lots", "") == "" {
		t.Error("pamValueError")
	}
	if got := expiresDate(1893456000); got != "2030-01-01" {
		t.Errorf("expiresDate: %q", got)
	}
	if got := expiresDate(-1); got != "" {
		t.Errorf("expiresDate(-1): %q", got)
	}
	if got := symmetricDiff([]string{"a", "b"}, []string{"b", "c"}); !reflect.DeepEqual(got, []string{"a", "c"}) {
		t.Errorf("symmetricDiff: %v", got)
	}
}
