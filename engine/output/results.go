package output

import (
	"fmt"
	"strings"

	"gorun/engine/pytext"
	"gorun/engine/value"
)

// actionSet is a set of action names with their ansible.builtin. and
// ansible.legacy. forms (Ansible's add_internal_fqcns).
func actionSet(names ...string) map[string]bool {
	s := map[string]bool{}
	for _, n := range names {
		s[n] = true
		if !strings.Contains(n, ".") {
			s["ansible.builtin."+n] = true
			s["ansible.legacy."+n] = true
		}
	}
	return s
}

var (
	// debugActions is C._ACTION_DEBUG: results shown with only what debug meant to show.
	debugActions = actionSet("debug")
	// noJSONActions is C.MODULE_NO_JSON: ad-hoc output shows their stdout raw.
	noJSONActions = actionSet("command", "win_command", "ansible.windows.win_command",
		"shell", "win_shell", "ansible.windows.win_shell", "raw")
	// includeActions are the tasks Ansible runs as TaskInclude (or IncludeRole).
	includeActions = actionSet("include", "include_tasks", "import_tasks", "include_role", "import_role")
)

// censoredMsg replaces the result of a no_log task.
const censoredMsg = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"

// cleanExceptions are the internal keys callbacks still see (task_result.CLEAN_EXCEPTIONS).
var cleanExceptions = map[string]bool{
	"_ansible_verbose_always":   true,
	"_ansible_item_label":       true,
	"_ansible_no_log":           true,
	"_ansible_verbose_override": true,
}

// cleanCopy is TaskResult.clean_copy, the copy of a result every callback
// receives: no_log results censored, "failed" and "skipped" dropped (the
// event says it), internal keys stripped except the few callbacks use.
func cleanCopy(r *Result) map[string]any {
	res := r.Result
	out := map[string]any{}
	var subset map[string]any
	if dv, ok := res["_ansible_delegated_vars"]; ok && value.IsMapping(dv) {
		subset = map[string]any{}
		for _, k := range []string{"ansible_host", "ansible_port", "ansible_user", "ansible_connection"} {
			if v, ok := value.Lookup(dv, k); ok {
				subset[k] = v
			}
		}
	}
	if (r.Task != nil && r.Task.NoLog) || truthy(res["_ansible_no_log"]) {
		out["censored"] = censoredMsg
		for _, k := range []string{"attempts", "changed", "retries"} {
			if v, ok := res[k]; ok {
				out[k] = v
			}
		}
	} else {
		for k, v := range res {
			out[k] = deepCopy(v)
		}
		delete(out, "failed")
		delete(out, "skipped")
		if r.Task != nil && debugActions[r.Task.Action] {
			delete(out, "invocation")
		}
		stripInternal(out, cleanExceptions)
	}
	if subset != nil {
		out["_ansible_delegated_vars"] = subset
	}
	return out
}

// deepCopy copies mappings and lists (module_response_deepcopy).
func deepCopy(v any) any {
	return value.MapLeaves(v, func(leaf any) any { return leaf })
}

// stripInternal removes "_ansible_*" keys at every depth, except those in keep
// (vars.clean.strip_internal_keys).
func stripInternal(v any, keep map[string]bool) {
	switch x := v.(type) {
	case *value.Dict:
		for _, k := range append([]string(nil), x.Keys()...) {
			if strings.HasPrefix(k, "_ansible_") && !keep[k] {
				x.Delete(k)
				continue
			}
			e, _ := x.Get(k)
			stripInternal(e, keep)
		}
	case map[string]any:
		for k, e := range x {
			if strings.HasPrefix(k, "_ansible_") && !keep[k] {
				delete(x, k)
				continue
			}
			stripInternal(e, keep)
		}
	case []any:
		for _, e := range x {
			stripInternal(e, keep)
		}
	}
}

// truthy is Python's bool() of a value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case int:
		return x != 0
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case *value.Dict:
		return x.Len() > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// dumper is CallbackBase._dump_results for one callback's settings.
type dumper struct {
	verbosity int
	// pretty is the pretty_results option; nil when not set.
	pretty *bool
	// yaml is result_format=yaml.
	yaml bool
}

// dump returns a result as JSON the way a callback shows it after "=>":
// internal keys stripped, invocation and diff kept only at -vvv, sorted
// keys, indented by 4 at -vvv, with _ansible_verbose_always or with
// pretty_results, else on one line. indent is the caller's explicit
// indent (NoIndent for None).
func (d dumper) dump(result any, indent int, sortKeys bool) string {
	if indent <= 0 {
		if (d.pretty != nil && *d.pretty) || (d.pretty == nil && d.yaml) || d.verbosity > 2 ||
			truthy(lookup(result, "_ansible_verbose_always")) {
			indent = 4
		}
	}
	if d.pretty != nil && !*d.pretty {
		indent = NoIndent
	}
	ab := deepCopy(result)
	stripInternal(ab, nil)
	if m, ok := ab.(map[string]any); ok {
		if d.verbosity < 3 {
			delete(m, "invocation")
			delete(m, "diff")
		}
		delete(m, "exception")
	} else if m, ok := ab.(*value.Dict); ok {
		if d.verbosity < 3 {
			m.Delete("invocation")
			m.Delete("diff")
		}
		m.Delete("exception")
	}
	if d.yaml {
		return d.yamlText(ab, indent)
	}
	return Dumps(ab, indent, sortKeys)
}

// yamlText is the yaml branch of _dump_results: a newline, then the YAML
// indented (by 4 when indent is None). Lossy output (pretty_results unset
// or true) omits stdout_lines and stderr_lines beside stdout and stderr.
func (d dumper) yamlText(ab any, indent int) string {
	lossy := d.pretty == nil || *d.pretty
	if lossy {
		for _, k := range []string{"stdout", "stderr"} {
			_, has := value.Lookup(ab, k)
			if _, lines := value.Lookup(ab, k+"_lines"); has && lines {
				switch m := ab.(type) {
				case map[string]any:
					m[k+"_lines"] = "<omitted>"
				case *value.Dict:
					m.Set(k+"_lines", "<omitted>")
				}
			}
		}
	}
	prefix := 4
	if indent > 0 {
		prefix = indent
	}
	return "\n" + pyIndent(DumpYAML(ab, indent, lossy), strings.Repeat(" ", prefix))
}

// pyIndent is textwrap.indent: prefix on every line that is not blank.
func pyIndent(text, prefix string) string {
	var b strings.Builder
	for _, l := range pySplitLines(text) {
		if strings.TrimFunc(l, isPyWhitespace) != "" {
			b.WriteString(prefix)
		}
		b.WriteString(l)
	}
	return b.String()
}

// lookup reads key from a mapping, nil otherwise.
func lookup(m any, key string) any {
	v, _ := value.Lookup(m, key)
	return v
}

// itemLabel is CallbackBase._get_item_label, formatted with "%s".
func itemLabel(res map[string]any) string {
	if truthy(res["_ansible_no_log"]) {
		return "(censored due to no_log)"
	}
	if l, ok := res["_ansible_item_label"]; ok {
		return pytext.Str(l)
	}
	return pytext.Str(res["item"])
}

// hideInDebug are the keys a debug "var=" result does not show.
var hideInDebug = []string{"changed", "failed", "skipped", "invocation", "skip_reason"}

// debugAllowed are the keys a debug "msg=" result shows.
var debugAllowed = map[string]bool{"msg": true, "exception": true, "warnings": true, "deprecations": true}

// cleanResults is CallbackBase._clean_results: debug shows only what it was
// asked to show.
func cleanResults(res map[string]any, action string) {
	if !debugActions[action] {
		return
	}
	if _, ok := res["msg"]; ok {
		for k := range res {
			if !debugAllowed[k] && !strings.HasPrefix(k, "_") {
				delete(res, k)
			}
		}
		return
	}
	for _, k := range hideInDebug {
		delete(res, k)
	}
}

// deprecationOf reads one entry of a result's "deprecations" list.
func deprecationOf(v any) Deprecation {
	if !value.IsMapping(v) {
		return Deprecation{Msg: pytext.Str(v)}
	}
	str := func(k string) string {
		x, ok := value.Lookup(v, k)
		if !ok || x == nil {
			return ""
		}
		return pytext.Str(x)
	}
	return Deprecation{Msg: str("msg"), Version: str("version"), Date: str("date"), CollectionName: str("collection_name")}
}

// handleWarnings is CallbackBase._handle_warnings: module warnings and
// deprecations are shown and removed from the result.
func handleWarnings(d *display, res map[string]any) {
	if d.noActionWarns {
		return
	}
	if ws, ok := res["warnings"].([]any); ok && len(ws) > 0 {
		for _, w := range ws {
			d.warning(pytext.Str(w))
		}
		delete(res, "warnings")
	}
	if ds, ok := res["deprecations"].([]any); ok && len(ds) > 0 {
		for _, dep := range ds {
			d.deprecated(deprecationOf(dep))
		}
		delete(res, "deprecations")
	}
}

// handleException is CallbackBase._handle_exception: a module traceback is
// summarised below -vvv and shown in full (then dropped) at -vvv.
func handleException(d *display, res map[string]any, toStderr bool) {
	exc, ok := res["exception"]
	if !ok {
		return
	}
	text := pytext.Str(exc)
	msg := "An exception occurred during task execution. "
	if d.verbosity < 3 {
		lines := strings.Split(strings.TrimSpace(text), "\n")
		msg += "To see the full traceback, use -vvv. The error was: " + lines[len(lines)-1]
	} else {
		msg = "The full traceback is:\n" + text
		delete(res, "exception")
	}
	d.show(msg, d.colors.Error, toStderr)
}

// intOf reads an integer result value (retries, attempts).
func intOf(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	var n int
	fmt.Sscan(pytext.Str(v), &n)
	return n
}

// valueKeys are the keys of a mapping (see value.Keys).
func valueKeys(m any) []string { return value.Keys(m) }
