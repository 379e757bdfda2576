package fleet

import (
	"regexp"
	"strconv"
	"strings"
)

// Recap is one host's line of a PLAY RECAP.
type Recap struct {
	Ok, Changed, Unreachable, Failed, Skipped int
}

var recapLine = regexp.MustCompile(`(?m)^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)`)

// ParseRecap returns the PLAY RECAP of a playbook run's output by host.
func ParseRecap(out string) map[string]Recap {
	recaps := map[string]Recap{}
	for _, m := range recapLine.FindAllStringSubmatch(out, -1) {
		n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
		recaps[m[1]] = Recap{Ok: n(2), Changed: n(3), Unreachable: n(4), Failed: n(5), Skipped: n(6)}
	}
	return recaps
}

// taskHeader matches the header of a task or handler in the default
// callback's output: "TASK [role : name] ****" or "RUNNING HANDLER [...]".
var taskHeader = regexp.MustCompile(`^(?:TASK|RUNNING HANDLER) \[(.+)\] \*+$`)

// ChangedTasks returns, in order, the tasks and handlers of a playbook
// run's output that report "changed" for host.
func ChangedTasks(out, host string) []string {
	var tasks []string
	current := ""
	for _, line := range strings.Split(out, "\n") {
		if m := taskHeader.FindStringSubmatch(line); m != nil {
			current = m[1]
			continue
		}
		if strings.HasPrefix(line, "changed: ["+host+"]") {
			tasks = append(tasks, current)
		}
	}
	return tasks
}
