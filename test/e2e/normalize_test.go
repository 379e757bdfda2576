package e2e

import (
	"strings"
	"testing"
)

// Two runs of one playbook by ansible-playbook 2.14: hosts answered in a
// different order, the terminal was narrower, and timings differ.
const runA = `
PLAY [first play] **************************************************************

TASK [cmd] *********************************************************************
changed: [h2]
changed: [h1]

TASK [debug] *******************************************************************
ok: [h2] => {
    "msg": "hello h2"
}
ok: [h1] => {
    "msg": "hello h1"
}

TASK [loop] ********************************************************************
ok: [h1] => (item=a)
ok: [h2] => (item=a)
ok: [h1] => (item=b)
ok: [h2] => (item=b)

TASK [fail] ********************************************************************
skipping: [h1]
fatal: [h2]: FAILED! => {"changed": true, "cmd": ["/bin/false"], "delta": "0:00:00.007187", "end": "2026-11-28 08:21:35.590381", "msg": "non-zero return code", "rc": 1, "start": "2026-11-28 08:21:35.583194"}
...ignoring

PLAY RECAP *********************************************************************
h1                         : ok=3    changed=1    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0   
h2                         : ok=4    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=1   

`

const runB = "\n\x1b[0;33mPLAY [first play] ****************\x1b[0m\n" + `
TASK [cmd] *******************
changed: [h1]
changed: [h2]

TASK [debug] ******************
ok: [h1] => {
    "msg": "hello h1"
}
ok: [h2] => {
    "msg": "hello h2"
}

TASK [loop] *******************
ok: [h2] => (item=a)
ok: [h1] => (item=a)
ok: [h2] => (item=b)
ok: [h1] => (item=b)

TASK [fail] *******************
fatal: [h2]: FAILED! => {"changed": true, "cmd": ["/bin/false"], "delta": "0:00:00.012000", "end": "2026-11-28 09:00:00.000001", "msg": "non-zero return code", "rc": 1, "start": "2026-11-28 08:59:59.988001"}
...ignoring
skipping: [h1]

PLAY RECAP ********************
h2 : ok=4 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1
h1 : ok=3 changed=1 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0
`

const wantNormal = `PLAY [first play]

TASK [cmd]
changed: [h1]
changed: [h2]

TASK [debug]
ok: [h1] => {
    "msg": "hello h1"
}
ok: [h2] => {
    "msg": "hello h2"
}

TASK [loop]
ok: [h1] => (item=a)
ok: [h1] => (item=b)
ok: [h2] => (item=a)
ok: [h2] => (item=b)

TASK [fail]
skipping: [h1]
fatal: [h2]: FAILED! => {"changed": true, "cmd": ["/bin/false"], "delta": "<time>", "end": "<time>", "msg": "non-zero return code", "rc": 1, "start": "<time>"}
...ignoring

PLAY RECAP
h1 : ok=3 changed=1 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0
h2 : ok=4 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1
`

func TestNormalizeTranscript(t *testing.T) {
	a, b := NormalizeTranscript(runA), NormalizeTranscript(runB)
	if a != wantNormal {
		t.Errorf("normalised run A:\n%s\nwant:\n%s", a, wantNormal)
	}
	if b != wantNormal {
		t.Errorf("normalised run B:\n%s\nwant:\n%s", b, wantNormal)
	}
}

func TestNormalizeTranscriptKeepsDifferences(t *testing.T) {
	for _, change := range [][2]string{
		{"changed: [h1]\n", "ok: [h1]\n"},          // a status
		{`"msg": "hello h1"`, `"msg": "hello H1"`}, // a result
		{"TASK [loop]", "TASK [loop2]"},            // a task name
		{"ok: [h1] => (item=a)\nok: [h2] => (item=a)\nok: [h1] => (item=b)", // item order of one host
			"ok: [h1] => (item=b)\nok: [h2] => (item=a)\nok: [h1] => (item=a)"},
		{"ignored=1", "ignored=0"}, // the recap
		{"...ignoring\n", ""},      // a line after an entry
	} {
		changed := strings.Replace(runA, change[0], change[1], 1)
		if changed == runA {
			t.Fatalf("test change %q does not apply", change[0])
		}
		if NormalizeTranscript(changed) == NormalizeTranscript(runA) {
			t.Errorf("changing %q to %q does not show after normalising", change[0], change[1])
		}
	}
	// Tasks in a different order are a different run.
	swapped := strings.Replace(strings.Replace(runA, "TASK [cmd]", "TASK [tmp]", 1), "TASK [debug]", "TASK [cmd]", 1)
	swapped = strings.Replace(swapped, "TASK [tmp]", "TASK [debug]", 1)
	if NormalizeTranscript(swapped) == NormalizeTranscript(runA) {
		t.Errorf("swapping two tasks' names does not show after normalising")
	}
}
