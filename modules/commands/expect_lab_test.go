package commands_test

import (
	"testing"

	"gorun/test/labdiff"
)

// askScript asks three questions on its terminal, the last one twice when
// given an argument, and prints the answers.
const askScript = `cat > /root/ask.sh <<'EOF'
#!/bin/sh
printf 'Name: '; read n
printf 'Password: '; read p
printf 'PASSWORD again: '; read q
if [ -n "$1" ]; then printf 'PASSWORD once more: '; read r; fi
printf 'Number: '; read k
echo "hello $n ($p/$q/$r) $k"
EOF
chmod +x /root/ask.sh; echo ok`

// TestExpectLab answers prompts with Ansible's expect module (pexpect on
// the target) and gorun's (a pty made by script, answered from the
// controller), and compares changed, failed, stdout, rc and messages.
func TestExpectLab(t *testing.T) {
	l := labdiff.Setup(t)
	keys := []string{"cmd", "stdout", "stdout_lines", "rc", "msg"}
	answers := "{Name: bob, 'Pass(word)?:': secret, '(?i)password again': [s1], Number: 42}"
	steps := []labdiff.Step{
		labdiff.Shell(askScript),
		{Module: "expect", Args: "{command: /root/ask.sh, responses: " + answers + "}", Keys: keys},
		{Module: "expect", Args: "{command: /root/ask.sh, echo: true, responses: " + answers + "}", Keys: keys},
		// A list of answers, one per time the question comes.
		{Module: "expect", Args: "{command: /root/ask.sh more, responses: {Name: bob, '(?i)password': [p1, p2, p3], Number: '7\n'}}", Keys: keys},
		{Module: "expect", Args: "{command: /root/ask.sh more, responses: {Name: bob, '(?i)password': [p1, p2], Number: 1}}", Keys: keys},
		// Two questions matching the same output: the earliest match wins.
		{Module: "ansible.builtin.expect", Args: "{command: /root/ask.sh, responses: {'(?m)^Number': 1, 'N\\w+:': x, 'Password': y, 'again': z}}", Keys: keys},
		{Module: "expect", Args: "{command: sleep 5, timeout: 1, responses: {x: y}}", Keys: keys},
		{Module: "expect", Args: "{command: /bin/sh -c 'echo out; exit 3', responses: {x: y}}", Keys: keys},
		{Module: "expect", Args: "{command: /bin/echo \"$HOME\" '|' x, responses: {x: y}}", Keys: keys},
		{Module: "expect", Args: "{command: pwd, chdir: /usr/share, responses: {x: y}}", Keys: keys},
		{Module: "expect", Args: "{command: /root/ask.sh, creates: /etc/hostname, responses: {x: y}}", Keys: keys},
		{Module: "expect", Args: "{command: /root/ask.sh, removes: /no/such/file, responses: {x: y}}", Keys: keys},
		{Module: "expect", Args: "{command: no-such-command, responses: {x: y}}", Keys: []string{"msg"}},
		{Module: "expect", Args: "{command: ' ', responses: {x: y}}", Keys: keys},
	}
	l.DiffPlay(t, steps)
}
