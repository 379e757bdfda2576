package system_test

import (
	"strings"
	"testing"
)

const (
	key1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEDkQ06Ui+Yx21em+ejYeloB5fQRw9MvGJAOz7N89U+R k1@test"
	key2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII4Le6dKIZfAp0ElkrBtJrU1RCYYLPnEm5HdnWzueEGu k2@test"
)

func testAuthorizedKey(t *testing.T, l *lab) {
	file := shell("cat /home/dana/.ssh/authorized_keys; stat -c '%n %U %a' /home/dana/.ssh /home/dana/.ssh/authorized_keys /tmp/ak 2>&1; cat /tmp/ak 2>&1; true")
	keys := []string{"keyfile", "user", "state", "exclusive", "key_options", "comment", "msg", "diff"}
	steps := []step{
		{module: "user", args: "{name: dana}"},
		{module: "authorized_key", args: `{user: dana, key: "` + key1 + `"}`, check: true, diff: true, keys: keys},
		{module: "authorized_key", args: `{user: dana, key: "` + key1 + `"}`, keys: keys},
		file,
		{module: "authorized_key", args: `{user: dana, key: "` + key1 + `"}`, keys: keys},
		{module: "authorized_key", args: `{user: dana, key: "` + key2 + `", key_options: 'no-pty,from="10.0.0.1"'}`, diff: true, keys: keys},
		file,
		{module: "ansible.posix.authorized_key", args: `{user: dana, key: "` + key2 + `", comment: renamed}`, keys: keys},
		{module: "authorized_key", args: `{user: dana, key: "` + key1 + `", exclusive: true}`, keys: keys},
		file,
		{module: "authorized_key", args: `{user: dana, key: "` + key1 + "\n# a comment\n" + key2 + `", path: /tmp/ak, manage_dir: false}`, keys: keys},
		{module: "authorized_key", args: `{user: dana, key: "` + key1 + `", state: absent}`, keys: keys},
		{module: "authorized_key", args: `{user: dana, key: "` + key1 + `", state: absent}`, keys: keys},
		{module: "authorized_key", args: `{user: dana, key: "not a key"}`, keys: keys},
		{module: "authorized_key", args: `{user: nobody-here, key: "` + key1 + `"}`, keys: keys},
		file,
		{module: "getent", args: "{database: passwd, key: dana}", keys: []string{"ansible_facts"}},
		{module: "getent", args: "{database: group}", keys: []string{"ansible_facts"}},
		{module: "getent", args: "{database: hosts, key: localhost}", keys: []string{"ansible_facts"}},
		{module: "getent", args: "{database: passwd, key: nobody-here}", keys: []string{"ansible_facts", "msg"}},
		{module: "getent", args: "{database: passwd, key: nobody-here, fail_key: false}", keys: []string{"ansible_facts", "msg"}},
		{module: "getent", args: "{database: no-such-db}", keys: []string{"msg"}},
	}
	got := l.diffPlay(t, steps)
	if s := got[9]["stdout"].(string); !strings.HasPrefix(s, key1+"\n") || strings.Contains(s, "k2@test") {
		t.Errorf("exclusive left:\n%s", s)
	}
}
