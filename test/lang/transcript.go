package lang

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Shown is one result a run printed in full: a task's (or loop item's)
// result on one host, as JSON with Ansible's internal keys and the
// callback-dependent "changed"/"failed" flags left out.
type Shown struct {
	Task   string // the task banner's name
	Host   string
	Status string // ok, changed, skipping, failed
	Item   bool   // a loop item's result
	JSON   string // the normalised result
}

// Same reports whether two results agree; the task name is left out because
// Ansible's linear strategy may report a host's result under another task's
// banner (a host running a task while others run handlers).
func (s Shown) Same(o Shown) bool {
	return s.Host == o.Host && s.Status == o.Status && s.Item == o.Item && s.JSON == o.JSON
}

func (s Shown) String() string {
	item := ""
	if s.Item {
		item = " (item)"
	}
	return fmt.Sprintf("TASK [%s] %s: [%s]%s => %s", s.Task, s.Status, s.Host, item, s.JSON)
}

// Recap is one host's PLAY RECAP line.
type Recap struct {
	OK, Changed, Unreachable, Failed, Skipped, Rescued, Ignored int
}

// Transcript is what was read from a run's standard output.
type Transcript struct {
	// Shown are the results per host, in the order the host got them.
	Shown map[string][]Shown
	Recap map[string]Recap
}

var (
	taskBanner = regexp.MustCompile(`^(?:TASK|RUNNING HANDLER) \[(.*)\]`)
	// Ansible's default callback: "ok: [h1] => {", "ok: [h1 -> h2] => (item=x) => {",
	// "fatal: [h1]: FAILED! => {".
	ansibleEntry = regexp.MustCompile(`^(ok|changed|skipping|fatal|failed): \[([^\] ]+)(?: -> [^\]]+)?\](?::? ?FAILED!)?( => \(item=.*\))? => \{$`)
	// The temporary callback on main: "0: [h1] => {", "  item 3: [h1] => {".
	stubEntry  = regexp.MustCompile(`^(\s*item )?(\d): \[([^\]]+)\] => \{$`)
	ansRecap   = regexp.MustCompile(`^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)`)
	stubRecap  = regexp.MustCompile(`^(\S+) : \{OK:(\d+) Changed:(\d+) Unreachable:(\d+) Failures:(\d+) Skipped:(\d+) Rescued:(\d+) Ignored:(\d+)\}`)
	stubStatus = []string{"ok", "changed", "skipping", "failed", "unreachable"}
)

// Parse reads the standard output of ansible-playbook or gorun. From
// gorun's temporary callback, which prints every result, it keeps those that
// Ansible's callback prints in full without -v: results marked
// _ansible_verbose_always (debug, assert).
func Parse(out string) (*Transcript, error) {
	tr := &Transcript{Shown: map[string][]Shown{}, Recap: map[string]Recap{}}
	lines := strings.Split(out, "\n")
	task := ""
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \r")
		if m := taskBanner.FindStringSubmatch(line); m != nil {
			task = m[1]
			continue
		}
		if m := recapOf(line); m != nil {
			tr.Recap[m[0]] = recapValues(m[1:])
			continue
		}
		var sh Shown
		stub := false
		if m := ansibleEntry.FindStringSubmatch(line); m != nil {
			sh = Shown{Task: task, Host: m[2], Status: m[1], Item: m[3] != ""}
			if sh.Status == "fatal" {
				sh.Status = "failed"
			}
		} else if m := stubEntry.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			sh = Shown{Task: task, Host: m[3], Status: stubStatus[n], Item: m[1] != ""}
			stub = true
		} else {
			continue
		}
		// The result ends at the first "}" line that closes the JSON.
		body := "{"
		for i++; i < len(lines); i++ {
			body += "\n" + lines[i]
			if strings.TrimRight(lines[i], " \r") == "}" && json.Valid([]byte(body)) {
				break
			}
		}
		var res map[string]any
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			return nil, fmt.Errorf("result of %s on %s: %v\n%s", task, sh.Host, err, body)
		}
		if stub && res["_ansible_verbose_always"] != true {
			continue
		}
		sh.JSON = normalise(res)
		tr.Shown[sh.Host] = append(tr.Shown[sh.Host], sh)
	}
	return tr, nil
}

func recapOf(line string) []string {
	if m := ansRecap.FindStringSubmatch(line); m != nil {
		return m[1:]
	}
	if m := stubRecap.FindStringSubmatch(line); m != nil {
		return m[1:]
	}
	return nil
}

func recapValues(s []string) Recap {
	n := make([]int, len(s))
	for i, v := range s {
		n[i], _ = strconv.Atoi(v)
	}
	return Recap{n[0], n[1], n[2], n[3], n[4], n[5], n[6]}
}

// shownWithMsg are the keys Ansible's callback keeps of a debug result that
// has a msg (CallbackBase._clean_results), with assert's own.
var shownWithMsg = map[string]bool{"msg": true, "exception": true, "warnings": true, "deprecations": true, "assertion": true, "evaluated_to": true}

// normalise drops what the callback, not the run, decides: internal keys
// (either tool's, at the top level; registered values inside are compared
// whole), the changed/failed flags that Ansible's callback removes from debug
// results but keeps for others, and what it drops from results with a msg.
func normalise(res map[string]any) string {
	_, hasMsg := res["msg"]
	for k := range res {
		if strings.HasPrefix(k, "_") || k == "changed" || k == "failed" || hasMsg && !shownWithMsg[k] {
			delete(res, k)
		}
	}
	b, _ := json.Marshal(res) // map keys come out sorted
	return string(b)
}

// Hosts lists the hosts of both transcripts.
func Hosts(a, b *Transcript) []string {
	set := map[string]bool{}
	for _, t := range []*Transcript{a, b} {
		for h := range t.Shown {
			set[h] = true
		}
		for h := range t.Recap {
			set[h] = true
		}
	}
	var hosts []string
	for h := range set {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	return hosts
}
