package main

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"gorun/engine/output"
)

// TestWrapTextMatchesPython compares output.WrapText, which ansible-vault warnings use, with Python's textwrap.wrap.
func TestWrapTextMatchesPython(t *testing.T) {
	texts := []string{
		"[WARNING]: Ansible is being run in a world writable directory (/tmp/TestEnvironmentMatchesAnsible4145065907/002), ignoring it as an ansible.cfg source. For more information see https://docs.ansible.com/ansible/devel/reference_appendices/config.html#cfg-in-world-writable-dir",
		"[WARNING]: Error in vault password prompt (default): EOFError (ctrl-d) on prompt for (default)",
		"[WARNING]: Error getting vault password file (None): The vault password file /tmp/a-very-long-directory-name-that-goes-on/and-on-and-on/with-hyphenated-words/pw was not found",
		"short",
		"a  b   c\td\ne",
		strings.Repeat("x", 200),
		strings.Repeat("ab_c-de-f a-b- -ab x_-yz ", 12),
		strings.Repeat("long-hyphenated-compound-word-", 5) + " " + strings.Repeat("z", 90),
		"well-known self-signed e-mail re-do x-y ab-cd-ef 12-34 --flag a--b co-op-ed " + strings.Repeat("word ", 30),
	}
	in, _ := json.Marshal(texts)
	cmd := exec.Command("/usr/bin/python3", "-c", `import json,sys,textwrap; print(json.dumps(["\n".join(textwrap.wrap(t, 79)) for t in json.load(sys.stdin)]))`)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("python3: %v", err)
	}
	var want []string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		if got := output.WrapText(text, 79); got != want[i] {
			t.Errorf("%q:\ngot:\n%s\nwant:\n%s", text, got, want[i])
		}
	}
}
