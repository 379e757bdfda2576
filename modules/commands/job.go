package commands

import (
	"fmt"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
)

// JobScript implements module.Detachable for command and shell: the same
// wrapper as Run's, with its output kept in files beside the job file and
// turned into the module's JSON on the target by jobAwk. The result of
// each outcome the wrapper can report is made here as a JSON template
// whose placeholders jobAwk fills with what only the target knows (output,
// rc, times, expanded paths, errno).
func (m *commandModule) JobScript(call *module.Call) (string, error) {
	p, res := m.plan(call)
	if res != nil {
		// Decided from the arguments alone: the job only reports it.
		text, err := jobJSON(res)
		if err != nil {
			return "", err
		}
		return "printf '%s' " + shell.Quote(text) + "\n", nil
	}
	nonce := newNonce()
	ph := "@" + nonce + "."
	str := func(name string) string { return ph + name + "@" }
	num := func(name string) string { return ph + "#" + name + "@" }
	o := &outcome{res: nil}
	templates := map[string]module.Result{}
	for _, status := range []string{"creates", "removes"} {
		o.status, o.path = status, str("path")
		templates[status] = p.clone().result(o, zeroTime, zeroTime, call.Check)
	}
	o.status, o.errno, o.path = "chdir", 0, "/"
	chdir := p.clone().result(o, zeroTime, zeroTime, call.Check)
	chdir["msg"] = "Unable to change directory before execution: [Errno " + str("errno") + "] " + str("errtext") + ": " + str("pypath")
	templates["chdir"] = chdir
	noexec := noexecResult(p.cleanCmd, 0, p.g.exe)
	noexec["rc"] = num("errno")
	noexec["msg"] = "[Errno " + str("errno") + "] " + str("errtext") + ": " + pyBytes(p.g.exe)
	templates["noexec"] = noexec
	if call.Check {
		o.status = "run"
		templates["run"] = p.clone().result(o, zeroTime, zeroTime, true)
	} else {
		run := p.clone().r
		run["changed"] = true
		run["rc"], run["stdout"], run["stderr"] = num("rc"), str("stdout"), str("stderr")
		run["start"], run["end"], run["delta"] = str("start"), str("end"), str("delta")
		templates["run"] = run
		failed := module.Result{"failed": true, "msg": "non-zero return code"}
		for k, v := range run {
			if k != "msg" {
				failed[k] = v
			}
		}
		templates["runfail"] = failed
	}
	templates["nostart"] = module.Failed("the command wrapper did not start on the target")

	var b strings.Builder
	b.WriteString("j=$1\n")
	b.WriteString("s=$(date '+%s%N %Y-%m-%d %H:%M:%S.%N')\n")
	if p.stdin != nil {
		fmt.Fprintf(&b, "printf '%%s' %s | ", shell.Quote(string(p.stdin)))
	}
	fmt.Fprintf(&b, "(\n%s) > \"$j.stdout\" 2> \"$j.stderr\"", guardScript(p.g, p.cmdline, nonce))
	if p.stdin == nil {
		b.WriteString(" < /dev/null")
	}
	b.WriteString("\nrc=$?\ne=$(date '+%s%N %Y-%m-%d %H:%M:%S.%N')\nd=$((${e%% *} - ${s%% *}))\n")
	b.WriteString("onl=; [ -n \"$(tail -c 1 \"$j.stdout\")\" ] || onl=1\n")
	b.WriteString("enl=; [ -n \"$(tail -c 1 \"$j.stderr\")\" ] || enl=1\n")
	env := []string{"GORUN_NONCE=" + shell.Quote(nonce), "GORUN_PH=" + shell.Quote(ph)}
	if p.strip {
		env = append(env, "GORUN_STRIP=1")
	}
	for _, status := range []string{"run", "runfail", "creates", "removes", "chdir", "noexec", "nostart"} {
		t, ok := templates[status]
		if !ok {
			continue
		}
		text, err := jobJSON(t)
		if err != nil {
			return "", err
		}
		env = append(env, "GORUN_T_"+status+"="+shell.Quote(text))
	}
	fmt.Fprintf(&b, "GORUN_RC=$rc GORUN_S=$s GORUN_E=$e GORUN_D=$d GORUN_ONL=$onl GORUN_ENL=$enl %s LC_ALL=C awk %s \"$j.stdout\" \"$j.stderr\"\n",
		strings.Join(env, " "), shell.Quote(jobAwk))
	b.WriteString("rm -f \"$j.stdout\" \"$j.stderr\"\n")
	return b.String(), nil
}

// clone copies a plan with its own result, so that each outcome's template
// starts from the same keys.
func (p *commandPlan) clone() *commandPlan {
	c := *p
	c.r = module.Result{}
	for k, v := range p.r {
		c.r[k] = v
	}
	return &c
}

// jobJSON is a result as the module prints it for async_wrapper: json.dumps
// with its default separators and ensure_ascii; the *_lines keys are left
// to async_status, as Ansible's action adds them.
func jobJSON(r module.Result) (string, error) {
	m := map[string]any{}
	for k, v := range r {
		if k != "stdout_lines" && k != "stderr_lines" {
			m[k] = v
		}
	}
	return pytext.JSON{Indent: pytext.NoIndent, ASCII: true}.Dumps(m)
}

// jobAwk turns the wrapper's output files (stdout with the status line
// first, stderr) into the module's JSON: it picks the template of the
// outcome (environment GORUN_T_status) and fills its placeholders: "@P.x@"
// with JSON-escaped text, "\"@P.#x@\"" with a number. Output is decoded as
// UTF-8 with Python's surrogateescape and escaped as json.dumps's
// ensure_ascii does; stdout and stderr lose their trailing newlines when
// strip_empty_ends is on, as the module's rstrip(b"\r\n").
const jobAwk = `
function esc(s,   o, c, b, m, k, cp, ok, x, used) {
	o = ""
	while (match(s, /["\\]|[^ -~]/)) {
		o = o substr(s, 1, RSTART - 1)
		s = substr(s, RSTART)
		c = substr(s, 1, 1); b = ord[c]; used = 1
		if (c == "\"") o = o "\\\""
		else if (c == "\\") o = o "\\\\"
		else if (c == "\n") o = o "\\n"
		else if (c == "\r") o = o "\\r"
		else if (c == "\t") o = o "\\t"
		else if (c == "\b") o = o "\\b"
		else if (c == "\f") o = o "\\f"
		else if (b < 128) o = o sprintf("\\u%04x", b)
		else {
			m = 0
			if (b >= 194 && b <= 223) { m = 1; cp = b - 192 }
			else if (b >= 224 && b <= 239) { m = 2; cp = b - 224 }
			else if (b >= 240 && b <= 244) { m = 3; cp = b - 240 }
			ok = m > 0 && m < length(s)
			for (k = 1; ok && k <= m; k++) {
				x = ord[substr(s, k + 1, 1)]
				if (x < 128 || x > 191) ok = 0
				else cp = cp * 64 + x - 128
			}
			if (ok && ((m == 2 && (cp < 2048 || (cp >= 55296 && cp <= 57343))) || (m == 3 && (cp < 65536 || cp > 1114111)))) ok = 0
			if (!ok) o = o sprintf("\\udc%02x", b)
			else {
				used = m + 1
				if (cp > 65535) { cp -= 65536; o = o sprintf("\\u%04x\\u%04x", 55296 + int(cp / 1024), 56320 + cp % 1024) }
				else o = o sprintf("\\u%04x", cp)
			}
		}
		s = substr(s, used + 1)
	}
	return o s
}
function pybytes(s,   i, c, b, q, o) {
	q = "'"
	if (index(s, "'") && !index(s, "\"")) q = "\""
	o = "b" q
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1); b = ord[c]
		if (c == "\\" || c == q) o = o "\\" c
		else if (c == "\n") o = o "\\n"
		else if (c == "\r") o = o "\\r"
		else if (c == "\t") o = o "\\t"
		else if (b < 32 || b >= 127) o = o sprintf("\\x%02x", b)
		else o = o c
	}
	return o q
}
function put(t, key, val,   i, o) {
	o = ""
	while ((i = index(t, key)) > 0) { o = o substr(t, 1, i - 1) val; t = substr(t, i + length(key)) }
	return o t
}
function delta(ns,   us, s, d, o) {
	if (ns < 0) ns = 0
	us = int(ns / 1000); d = int(us / 86400000000); us -= d * 86400000000
	s = int(us / 1000000)
	o = sprintf("%d:%02d:%02d", int(s / 3600), int(s / 60) % 60, s % 60)
	if (us % 1000000) o = o sprintf(".%06d", us % 1000000)
	if (d == 1) o = "1 day, " o
	else if (d > 1) o = d " days, " o
	return o
}
# strip drops the trailing line breaks of the lines a[1..n] (rstrip(b"\r\n")) and returns the new n.
function strip(a, n) {
	while (n > 0 && a[n] ~ /^\r*$/) n--
	if (n > 0) sub(/\r+$/, "", a[n])
	return n
}
function lines(a, n, nl,   i) {
	for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? "\\n" : ""), esc(a[i])
	if (n && nl) printf "\\n"
}
BEGIN {
	for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
	st = "nostart"
}
FILENAME == ARGV[1] && FNR == 1 {
	if ($1 == ENVIRON["GORUN_NONCE"]) {
		st = $2
		if (st == "chdir" || st == "noexec") { errno = $3; path = substr($0, length($1) + length($2) + length($3) + 4) }
		else path = substr($0, length($1) + length($2) + 3)
	}
	next
}
FILENAME == ARGV[1] { O[++no] = $0; next }
{ E[++ne] = $0 }
END {
	onl = ENVIRON["GORUN_ONL"] != ""; enl = ENVIRON["GORUN_ENL"] != ""
	if (ENVIRON["GORUN_STRIP"] != "") { no = strip(O, no); ne = strip(E, ne); onl = enl = 0 }
	rc = ENVIRON["GORUN_RC"] + 0
	if (st == "run" && rc != 0 && ("GORUN_T_runfail" in ENVIRON)) st = "runfail"
	t = ENVIRON["GORUN_T_" st]
	p = ENVIRON["GORUN_PH"]
	split(ENVIRON["GORUN_S"], s0, " "); split(ENVIRON["GORUN_E"], e0, " ")
	errtext = errno == 2 ? "No such file or directory" : errno == 20 ? "Not a directory" : errno == 13 ? "Permission denied" : "Unknown error " errno
	t = put(t, "\"" p "#rc@\"", rc)
	t = put(t, "\"" p "#errno@\"", errno + 0)
	t = put(t, p "errno@", errno + 0)
	t = put(t, p "errtext@", errtext)
	t = put(t, p "start@", substr(ENVIRON["GORUN_S"], length(s0[1]) + 2, 26))
	t = put(t, p "end@", substr(ENVIRON["GORUN_E"], length(e0[1]) + 2, 26))
	t = put(t, p "delta@", delta(ENVIRON["GORUN_D"]))
	t = put(t, p "pypath@", esc(pybytes(path)))
	t = put(t, p "path@", esc(path))
	# The output goes out line by line, never built into one string.
	ko = p "stdout@"; ke = p "stderr@"
	while (index(t, ko) || index(t, ke)) {
		i = index(t, ko); j = index(t, ke)
		if (i && (!j || i < j)) { printf "%s", substr(t, 1, i - 1); lines(O, no, onl); t = substr(t, i + length(ko)) }
		else { printf "%s", substr(t, 1, j - 1); lines(E, ne, enl); t = substr(t, j + length(ke)) }
	}
	printf "%s", t
}
`

// zeroTime stands for times the job's templates fill in on the target.
var zeroTime time.Time
