package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

const (
	key1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEDkQ06Ui+Yx21em+ejYeloB5fQRw9MvGJAOz7N89U+R k1@test"
	key2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII4Le6dKIZfAp0ElkrBtJrU1RCYYLPnEm5HdnWzueEGu k2@test"
)

func testAuthorizedKey(t *testing.T, l *labdiff.Lab) {
	file := shell("cat /home/dana/.ssh/authorized_keys; stat -c '%n %U %a' /home/dana/.ssh /home/dana/.ssh/authorized_keys /tmp/ak 2>&1; cat /tmp/ak 2>&1; true")
	keys := []string{"keyfile", "user", "state", "exclusive", "key_options", "comment", "msg", "diff"}
	steps := []step{
		{Module: "user", Args: "{name: dana}"},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `"}`, Check: true, Diff: true, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `"}`, Keys: keys},
		file,
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `"}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key2 + `", key_options: 'no-pty,from="10.0.0.1"'}`, Diff: true, Keys: keys},
		file,
		{Module: "ansible.posix.authorized_key", Args: `{user: dana, key: "` + key2 + `", comment: renamed}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `", exclusive: true}`, Keys: keys},
		file,
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + "\n# a comment\n" + key2 + `", path: /tmp/ak, manage_dir: false}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `", state: absent}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "` + key1 + `", state: absent}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: dana, key: "not a key"}`, Keys: keys},
		{Module: "authorized_key", Args: `{user: nobody-here, key: "` + key1 + `"}`, Keys: keys},
		file,
		{Module: "getent", Args: "{database: passwd, key: dana}", Keys: []string{"ansible_facts"}},
		{Module: "getent", Args: "{database: group}", Keys: []string{"ansible_facts"}},
		{Module: "getent", Args: "{database: hosts, key: localhost}", Keys: []string{"ansible_facts"}},
		{Module: "getent", Args: "{database: passwd, key: nobody-here}", Keys: []string{"ansible_facts", "msg"}},
		{Module: "getent", Args: "{database: passwd, key: nobody-here, fail_key: false}", Keys: []string{"ansible_facts", "msg"}},
		{Module: "getent", Args: "{database: no-such-db}", Keys: []string{"msg"}},
	}
	got := l.DiffPlay(t, steps)
	if s := got[9]["stdout"].(string); !strings.HasPrefix(s, key1+"\n") || strings.Contains(s, "k2@test") {
		t.Errorf("exclusive left:\n%s", s)
	}
}
