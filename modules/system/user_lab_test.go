package system_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

const aliceHash = "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1"

func testUser(t *testing.T, l *labdiff.Lab) {
	accounts := shell("getent passwd alice bob carol; getent group devs ops alice; getent shadow alice bob | cut -d: -f1-2,4,5,8; stat -c '%n %u %g %a' /home/alice /srv/homes/alice /home/carol 2>&1; ls -A /srv/homes/alice 2>&1; true")
	keys := []string{"uid", "group", "comment", "home", "shell", "groups", "name", "state", "system", "create_home", "append", "move_home", "gid", "msg"}
	alice := `{name: alice, uid: 3001, group: devs, groups: [ops], shell: /bin/bash, comment: "Alice A", password: "` + aliceHash + `"}`
	steps := []step{
		{Module: "group", Args: "{name: devs, gid: 2345}", Check: true, Keys: keys},
		{Module: "group", Args: "{name: devs, gid: 2345}", Keys: keys},
		{Module: "group", Args: "{name: devs, gid: 2345}", Keys: keys},
		{Module: "group", Args: "{name: ops, system: true}", Keys: keys},
		{Module: "group", Args: "{name: devs, gid: 2346}", Keys: keys},
		{Module: "user", Args: alice, Check: true, Keys: keys},
		accounts,
		{Module: "user", Args: alice, Keys: keys},
		accounts,
		{Module: "user", Args: alice, Keys: keys},
		{Module: "user", Args: "{name: alice, groups: [sudo], append: true}", Keys: keys},
		{Module: "user", Args: "{name: alice, groups: [sudo], append: true}", Keys: keys},
		{Module: "user", Args: "{name: alice, groups: [ops]}", Keys: keys},
		{Module: "user", Args: "{name: alice, shell: /bin/sh, expires: 1893456000, password_expire_max: 90}", Keys: keys},
		{Module: "user", Args: "{name: alice, expires: 1893456000, password_expire_max: 90}", Keys: keys},
		{Module: "user", Args: "{name: alice, password: '" + aliceHash + "', update_password: on_create}", Keys: keys},
		{Module: "user", Args: "{name: alice, home: /srv/homes/alice, move_home: true}", Keys: keys},
		accounts,
		{Module: "user", Args: "{name: alice, generate_ssh_key: true, ssh_key_type: ed25519}", Keys: append(keys, "ssh_key_file")},
		{Module: "user", Args: "{name: alice, generate_ssh_key: true, ssh_key_type: ed25519}", Keys: append(keys, "ssh_key_file")},
		{Module: "user", Args: "{name: bob, system: true, create_home: false, shell: /usr/sbin/nologin}", Keys: keys},
		{Module: "user", Args: "{name: carol, groups: [no-such-group]}", Keys: keys},
		{Module: "user", Args: "{name: carol, home: /home/carol}", Keys: keys},
		accounts,
		{Module: "user", Args: "{name: alice, state: absent, remove: true}", Keys: append(keys, "force", "remove")},
		{Module: "user", Args: "{name: alice, state: absent}", Keys: keys},
		{Module: "group", Args: "{name: devs, state: absent}", Keys: keys},
		{Module: "group", Args: "{name: devs, state: absent}", Keys: keys},
		accounts,
	}
	got := l.DiffPlay(t, steps)
	if s := got[8]["stdout"].(string); !strings.Contains(s, "alice:x:3001:2346:Alice A:/home/alice:/bin/bash") || !strings.Contains(s, "ops:x:") {
		t.Errorf("alice not created as asked:\n%s", s)
	}
	if pk, _ := got[18]["ssh_public_key"].(string); !strings.HasPrefix(pk, "ssh-ed25519 ") {
		t.Errorf("no ssh key: %v", got[18])
	}
}
