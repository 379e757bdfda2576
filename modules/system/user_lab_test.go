package system_test

import (
	"strings"
	"testing"
)

const aliceHash = "$6$saltsalt$TVLlQcbpFVof5W3Yz4DTP6gRstiNuHwwTt6GLc1E5n0U0aDehy0S5knV8wiOQSpT0Y77vwPZN.Pq.H91p5hVO1"

func testUser(t *testing.T, l *lab) {
	accounts := shell("getent passwd alice bob carol; getent group devs ops alice; getent shadow alice bob | cut -d: -f1-2,4,5,8; stat -c '%n %u %g %a' /home/alice /srv/homes/alice /home/carol 2>&1; ls -A /srv/homes/alice 2>&1; true")
	keys := []string{"uid", "group", "comment", "home", "shell", "groups", "name", "state", "system", "create_home", "append", "move_home", "gid", "msg"}
	alice := `{name: alice, uid: 3001, group: devs, groups: [ops], shell: /bin/bash, comment: "Alice A", password: "` + aliceHash + `"}`
	steps := []step{
		{module: "group", args: "{name: devs, gid: 2345}", check: true, keys: keys},
		{module: "group", args: "{name: devs, gid: 2345}", keys: keys},
		{module: "group", args: "{name: devs, gid: 2345}", keys: keys},
		{module: "group", args: "{name: ops, system: true}", keys: keys},
		{module: "group", args: "{name: devs, gid: 2346}", keys: keys},
		{module: "user", args: alice, check: true, keys: keys},
		accounts,
		{module: "user", args: alice, keys: keys},
		accounts,
		{module: "user", args: alice, keys: keys},
		{module: "user", args: "{name: alice, groups: [sudo], append: true}", keys: keys},
		{module: "user", args: "{name: alice, groups: [sudo], append: true}", keys: keys},
		{module: "user", args: "{name: alice, groups: [ops]}", keys: keys},
		{module: "user", args: "{name: alice, shell: /bin/sh, expires: 1893456000, password_expire_max: 90}", keys: keys},
		{module: "user", args: "{name: alice, expires: 1893456000, password_expire_max: 90}", keys: keys},
		{module: "user", args: "{name: alice, password: '" + aliceHash + "', update_password: on_create}", keys: keys},
		{module: "user", args: "{name: alice, home: /srv/homes/alice, move_home: true}", keys: keys},
		accounts,
		{module: "user", args: "{name: alice, generate_ssh_key: true, ssh_key_type: ed25519}", keys: append(keys, "ssh_key_file")},
		{module: "user", args: "{name: alice, generate_ssh_key: true, ssh_key_type: ed25519}", keys: append(keys, "ssh_key_file")},
		{module: "user", args: "{name: bob, system: true, create_home: false, shell: /usr/sbin/nologin}", keys: keys},
		{module: "user", args: "{name: carol, groups: [no-such-group]}", keys: keys},
		{module: "user", args: "{name: carol, home: /home/carol}", keys: keys},
		accounts,
		{module: "user", args: "{name: alice, state: absent, remove: true}", keys: append(keys, "force", "remove")},
		{module: "user", args: "{name: alice, state: absent}", keys: keys},
		{module: "group", args: "{name: devs, state: absent}", keys: keys},
		{module: "group", args: "{name: devs, state: absent}", keys: keys},
		accounts,
	}
	got := l.diffPlay(t, steps)
	if s := got[8]["stdout"].(string); !strings.Contains(s, "alice:x:3001:2346:Alice A:/home/alice:/bin/bash") || !strings.Contains(s, "ops:x:") {
		t.Errorf("alice not created as asked:\n%s", s)
	}
	if pk, _ := got[18]["ssh_public_key"].(string); !strings.HasPrefix(pk, "ssh-ed25519 ") {
		t.Errorf("no ssh key: %v", got[18])
	}
}
