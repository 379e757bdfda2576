package template

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gorun/engine/value"
)

// lookupFunc implements one lookup plugin: terms in, list of results out.
type lookupFunc func(ev *evaluator, terms []any, kw *value.Dict) ([]any, error)

var lookups = map[string]lookupFunc{}

func init() {
	for name, fn := range map[string]lookupFunc{
		"vars":          lookupVars,
		"varnames":      lookupVarnames,
		"env":           lookupEnv,
		"pipe":          lookupPipe,
		"lines":         lookupLines,
		"items":         func(ev *evaluator, t []any, kw *value.Dict) ([]any, error) { return flatten(t, 1, false), nil },
		"list":          func(ev *evaluator, t []any, kw *value.Dict) ([]any, error) { return t, nil },
		"indexed_items": lookupIndexed,
		"dict":          lookupDict,
		"sequence":      lookupSequence,
		"together":      lookupTogether,
		"nested":        lookupNested,
		"subelements":   lookupSubelements,
		"file":          lookupFile,
		"template":      lookupTemplate,
		"fileglob":      lookupFileglob,
		"first_found":   lookupFirstFound,
		"random_choice": func(ev *evaluator, t []any, kw *value.Dict) ([]any, error) {
			if len(t) == 0 {
				return []any{}, nil
			}
			return []any{t[sysRandbelow(len(t))]}, nil
		},
		"config":  lookupConfig,
		"csvfile": lookupCSVFile,
		"ini":     lookupIni,
		"unvault": lookupUnvault,
		"url":     lookupURL,
	} {
		lookups[name] = fn
	}
}

// Lookup runs the lookup plugin name with terms, as `with_<name>` loops and lookup() do.
func (e *Engine) Lookup(name string, terms []any, kwargs map[string]any, ctx *Context) (res []any, err error) {
	defer guard(&err)
	kw := value.NewDict()
	for _, k := range value.Keys(kwargs) {
		kw.Set(k, kwargs[k])
	}
	ev := &evaluator{e: e, sess: e.newSession(ctx), syn: stringSyntax()}
	return ev.runLookup(name, terms, kw)
}

func (ev *evaluator) runLookup(name string, terms []any, kw *value.Dict) ([]any, error) {
	fn, ok := lookups[shortName(name)]
	if !ok {
		return nil, fmt.Errorf("lookup plugin (%s) not found", name)
	}
	for _, t := range terms {
		if u := findUndefined(t); u != nil {
			return nil, u.err()
		}
	}
	return fn(ev, terms, kw)
}

// lookupCall implements lookup()/query()/q().
func (ev *evaluator) lookupCall(a []any, kw *value.Dict, wantlist bool) (any, error) {
	if len(a) == 0 {
		return nil, fmt.Errorf("You must specify a lookup plugin name")
	}
	name := ToText(a[0])
	opts := value.NewDict()
	errorsMode := "strict"
	allowUnsafe := false
	if ev.e.opts.Config != nil {
		if v, ok := ev.e.opts.Config("DEFAULT_ALLOW_UNSAFE_LOOKUPS"); ok {
			allowUnsafe = argBool(v, false)
		}
	}
	for _, k := range kw.Keys() {
		x, _ := kw.Get(k)
		switch k {
		case "wantlist":
			wantlist = wantlist || argBool(x, false)
		case "errors":
			errorsMode = ToText(x)
		case "allow_unsafe":
			allowUnsafe = argBool(x, false)
		default:
			opts.Set(k, x)
		}
	}
	res, err := ev.runLookup(name, a[1:], opts)
	if len(res) > 0 && !allowUnsafe {
		// Ansible wraps lookup output as unsafe (never templated again)
		// unless allow_unsafe=True or DEFAULT_ALLOW_UNSAFE_LOOKUPS says so.
		ev.sess.tainted = true
	}
	if err != nil {
		var ue *UndefinedError
		if asUndefined(err, &ue) {
			return nil, err
		}
		switch errorsMode {
		case "ignore", "warn":
			if wantlist {
				return []any{}, nil
			}
			return nil, nil
		}
		var le *lookupError
		if errors.As(err, &le) {
			return nil, err
		}
		class := "ansible.errors.AnsibleError"
		var lx *lookupException
		if errors.As(err, &lx) {
			class = lx.class
		}
		// Ansible raises AnsibleError(msg, orig_exc=err), whose message
		// ends with the original error once more.
		return nil, fmt.Errorf("An unhandled exception occurred while running the lookup plugin '%s'. Error was a <class '%s'>, original message: %v. %v", name, class, err, err)
	}
	if wantlist || len(res) == 0 || allowUnsafe {
		// Ansible 2.14 joins only in its unsafe-wrapping branch: with
		// allow_unsafe, lookup() returns the plugin's list as it is.
		return res, nil
	}
	// lookup() joins string results with commas, as Ansible does.
	allStr := true
	for _, r := range res {
		if _, ok := asString(r); !ok {
			allStr = false
		}
	}
	if allStr && len(res) != 1 {
		parts := make([]string, len(res))
		for i, r := range res {
			parts[i], _ = asString(r)
		}
		return strings.Join(parts, ","), nil
	}
	if len(res) == 1 {
		return res[0], nil
	}
	return res, nil
}

// lookupError is an expected lookup failure (AnsibleLookupError): reported as is.
type lookupError struct{ msg string }

func (e *lookupError) Error() string { return e.msg }

func asUndefined(err error, target **UndefinedError) bool {
	ue, ok := err.(*UndefinedError)
	if ok {
		*target = ue
	}
	return ok
}

func lookupVars(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	def, hasDef := kw.Get("default")
	for _, t := range terms {
		name, ok := asString(t)
		if !ok {
			return nil, fmt.Errorf("Invalid setting identifier, \"%s\" is not a string, its a %s", ToText(t), pyClass(t))
		}
		v, err := ev.lookupName(name, newFrame(nil))
		if err != nil {
			return nil, err
		}
		if _, ok := v.(*undefined); ok {
			if hasDef {
				out = append(out, def)
				continue
			}
			return nil, &UndefinedError{Name: name, Msg: fmt.Sprintf("No variable found with this name: %s", name)}
		}
		out = append(out, v)
	}
	return out, nil
}

func lookupVarnames(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	var names []string
	for k := range ev.sess.ctx.Vars {
		if !strings.HasPrefix(k, "\x00") { // a caller's internal entry, not a variable
			names = append(names, k)
		}
	}
	sort.Strings(names)
	out := []any{}
	for _, t := range terms {
		re, err := regexp.Compile(ToText(t))
		if err != nil {
			return nil, fmt.Errorf("Unable to use \"%s\" as a search parameter: %v", ToText(t), err)
		}
		for _, n := range names {
			if loc := re.FindStringIndex(n); loc != nil && loc[0] == 0 {
				out = append(out, n)
			}
		}
	}
	return out, nil
}

func lookupEnv(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	def, hasDef := kw.Get("default")
	for _, t := range terms {
		v, ok := os.LookupEnv(ToText(t))
		switch {
		case ok:
			out = append(out, v)
		case hasDef:
			out = append(out, def)
		default:
			out = append(out, "")
		}
	}
	return out, nil
}

func lookupPipe(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		cmd := exec.Command("/bin/sh", "-c", ToText(t))
		b, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("lookup_plugin.pipe(%s) returned %v", ToText(t), err)
		}
		out = append(out, strings.TrimRight(string(b), "\n"))
	}
	return out, nil
}

func lookupLines(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		b, err := exec.Command("/bin/sh", "-c", ToText(t)).Output()
		if err != nil {
			return nil, fmt.Errorf("lookup_plugin.lines(%s) returned %v", ToText(t), err)
		}
		for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
			out = append(out, l)
		}
	}
	return out, nil
}

func lookupIndexed(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for i, t := range flatten(terms, 1, false) {
		out = append(out, []any{i, t})
	}
	return out, nil
}

func lookupDict(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		if !isMapping(t) {
			return nil, fmt.Errorf("with_dict expects a dict")
		}
		for _, k := range mapKeys(t) {
			v, _ := mapGet(t, k)
			out = append(out, value.DictOf("key", k, "value", v))
		}
	}
	return out, nil
}

var seqShortcut = regexp.MustCompile(`^(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|-?\d+)?-?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|\d+)(/(\d+))?(:(.+))?$`)

func lookupSequence(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		start, end, stride, count, format := 1, 0, 1, -1, "%d"
		hasEnd := false
		term := ToText(t)
		parse := func(s string) (int, error) {
			v, err := strconv.ParseInt(s, 0, 64)
			return int(v), err
		}
		if strings.Contains(term, "=") {
			for _, f := range strings.Fields(term) {
				k, v, _ := strings.Cut(f, "=")
				var err error
				switch k {
				case "start":
					start, err = parse(v)
				case "end":
					end, err = parse(v)
					hasEnd = true
				case "stride":
					stride, err = parse(v)
				case "count":
					count, err = parse(v)
				case "format":
					format = v
				default:
					return nil, fmt.Errorf("unrecognized arguments to with_sequence: %s", k)
				}
				if err != nil {
					return nil, fmt.Errorf("can't parse %s=%s as integer", k, v)
				}
			}
		} else if m := seqShortcut.FindStringSubmatch(term); m != nil {
			if m[1] != "" {
				start, _ = parse(m[1])
			}
			end, _ = parse(m[2])
			hasEnd = true
			if m[4] != "" {
				stride, _ = parse(m[4])
			}
			if m[6] != "" {
				format = m[6]
			}
		} else {
			return nil, fmt.Errorf("unknown argument %s", term)
		}
		if count >= 0 {
			if hasEnd {
				return nil, fmt.Errorf("can't specify both count and end in with_sequence")
			}
			// Ansible computes the end this way (even for negative strides).
			end = start + count*stride - 1
			if count == 0 {
				continue
			}
		} else if !hasEnd {
			return nil, fmt.Errorf("must specify count or end in with_sequence")
		}
		if stride > 0 && end < start {
			return nil, fmt.Errorf("to count backwards make stride negative")
		}
		if stride < 0 && end > start {
			return nil, fmt.Errorf("to count forward don't make stride negative")
		}
		if stride == 0 {
			continue
		}
		for i := start; (stride > 0 && i <= end) || (stride < 0 && i >= end); i += stride {
			s, err := pyPercent(format, i)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func lookupTogether(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	var lists [][]any
	n := 0
	for _, t := range terms {
		l, err := iterate(t)
		if err != nil {
			return nil, err
		}
		lists = append(lists, l)
		n = max(n, len(l))
	}
	out := []any{}
	for i := 0; i < n; i++ {
		row := []any{}
		for _, l := range lists {
			if i < len(l) {
				row = append(row, l[i])
			} else {
				row = append(row, nil)
			}
		}
		out = append(out, row)
	}
	return out, nil
}

func lookupNested(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{[]any{}}
	for _, t := range terms {
		l, err := iterate(t)
		if err != nil {
			return nil, err
		}
		var next []any
		for _, prefix := range out {
			for _, x := range l {
				next = append(next, append(deepCopyList(prefix.([]any)), x))
			}
		}
		out = next
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

// lookupSubelements is Ansible's subelements lookup, which differs from
// the filter: each parent item is a copy without the subkey (the lookup
// pops it), registered results that were skipped are left out, and its
// errors are its own. Its quirks are kept: a missing key with skip_missing
// only skips that step, and a key named like the last one counts as last.
func lookupSubelements(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	termsError := func(msg string) error {
		return errors.New("subelements lookup expects a list of two or three items, " + msg)
	}
	if len(terms) < 2 || len(terms) > 3 {
		return nil, termsError("")
	}
	subkey, isStr := asString(terms[1])
	var elements []any
	if isMapping(terms[0]) && isStr {
		if s, found := mapGet(terms[0], "skipped"); found && s != false {
			// The registered result was skipped as a whole.
			return []any{}, nil
		}
		for _, k := range mapKeys(terms[0]) {
			x, _ := mapGet(terms[0], k)
			elements = append(elements, x)
		}
	} else if l, isList := asList(terms[0]); isList && isStr {
		elements = l
	} else {
		return nil, termsError("first a dict or a list, second a string pointing to the subkey")
	}
	var flags any = value.NewDict()
	if len(terms) == 3 {
		flags = terms[2]
		if !isMapping(flags) {
			return nil, termsError("the optional third item must be a dict with flags skip_missing")
		}
	}
	skipMissing, _ := mapGet(flags, "skip_missing")
	skip := argBool(skipMissing, false)
	keys := strings.Split(subkey, ".")
	out := []any{}
	for _, el := range elements {
		if !isMapping(el) {
			return nil, fmt.Errorf("subelements lookup expects a dictionary, got '%s'", ToText(el))
		}
		if s, found := mapGet(el, "skipped"); found && s != false {
			continue
		}
		item0 := copyMapping(el)
		sub := item0
		last := false
		var sublist []any
		for _, k := range keys {
			last = last || k == keys[len(keys)-1]
			x, found := sub.Get(k)
			if !found {
				if skip {
					continue
				}
				return nil, fmt.Errorf("could not find '%s' key in iterated item '%s'", k, ToText(sub))
			}
			if !last {
				if !isMapping(x) {
					if skip {
						continue
					}
					return nil, fmt.Errorf("the key %s should point to a dictionary, got '%s'", k, ToText(x))
				}
				inner := copyMapping(x)
				sub.Set(k, inner)
				sub = inner
				continue
			}
			l, isList := x.([]any)
			if !isList {
				return nil, fmt.Errorf("the key %s should point to a list, got '%s'", k, ToText(x))
			}
			sublist = l
			sub.Delete(k)
		}
		for _, x := range sublist {
			out = append(out, []any{item0, x})
		}
	}
	return out, nil
}

// copyMapping is a shallow copy of a mapping as a Dict.
func copyMapping(m any) *value.Dict {
	keys := mapKeys(m)
	d := value.NewDict(len(keys))
	for _, k := range keys {
		x, _ := mapGet(m, k)
		d.Set(k, x)
	}
	return d
}

// findFile looks for name in the search path's subdir, then the directory itself.
func (ev *evaluator) findFile(subdir, name string) (string, error) {
	if filepath.IsAbs(name) {
		if _, err := os.Stat(name); err == nil {
			return name, nil
		}
		return "", errors.New("could not locate file in lookup: " + name)
	}
	for _, d := range ev.sess.ctx.SearchPath {
		for _, p := range []string{filepath.Join(d, subdir, name), filepath.Join(d, name)} {
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	// An AnsibleError, not an AnsibleLookupError: Ansible's templar wraps it.
	return "", errors.New("could not locate file in lookup: " + name)
}

// readFound reads the file findFile finds, and says where it was.
func (ev *evaluator) readFound(subdir, name string) (path string, data []byte, err error) {
	path, err = ev.findFile(subdir, name)
	if err != nil {
		return "", nil, err
	}
	data, err = os.ReadFile(path)
	return path, data, err
}

func lookupFile(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	lstrip, _ := kw.Get("lstrip")
	rstrip, hasR := kw.Get("rstrip")
	out := []any{}
	for _, t := range terms {
		_, b, err := ev.readFound("files", ToText(t))
		if err != nil {
			return nil, err
		}
		s := string(b)
		if !hasR || argBool(rstrip, true) {
			s = strings.TrimRight(s, " \t\r\n")
		}
		if argBool(or(lstrip, false), false) {
			s = strings.TrimLeft(s, " \t\r\n")
		}
		out = append(out, s)
	}
	return out, nil
}

func lookupTemplate(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		p, b, err := ev.readFound("templates", ToText(t))
		if err != nil {
			return nil, err
		}
		opts := DefaultFileOptions()
		opts.TrimBlocks = true
		if x, ok := kw.Get("variable_start_string"); ok {
			opts.VariableStart = ToText(x)
		}
		if x, ok := kw.Get("variable_end_string"); ok {
			opts.VariableEnd = ToText(x)
		}
		syn := opts.syntax()
		s, err := ev.e.renderText(string(b), ev.sess, syn, p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func lookupFileglob(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		pat := ToText(t)
		dirs := []string{""}
		if !filepath.IsAbs(pat) {
			dirs = nil
			for _, d := range ev.sess.ctx.SearchPath {
				dirs = append(dirs, filepath.Join(d, "files"), d)
			}
		}
		for _, d := range dirs {
			matches, _ := filepath.Glob(filepath.Join(d, pat))
			found := false
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
					out = append(out, m)
					found = true
				}
			}
			if found {
				break
			}
		}
	}
	return out, nil
}

func lookupFirstFound(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	var files, paths []string
	skip := false
	add := func(dst *[]string, v any) {
		if l, ok := asList(v); ok {
			for _, x := range l {
				*dst = append(*dst, ToText(x))
			}
		} else if v != nil {
			*dst = append(*dst, ToText(v))
		}
	}
	for _, t := range flatten(terms, 1, false) {
		if isMapping(t) {
			f, _ := mapGet(t, "files")
			p, _ := mapGet(t, "paths")
			add(&files, f)
			add(&paths, p)
			if s, ok := mapGet(t, "skip"); ok {
				skip = argBool(s, false)
			}
			continue
		}
		files = append(files, ToText(t))
	}
	if f, ok := kw.Get("files"); ok {
		add(&files, f)
	}
	if p, ok := kw.Get("paths"); ok {
		add(&paths, p)
	}
	if s, ok := kw.Get("skip"); ok {
		skip = argBool(s, false)
	}
	for _, f := range files {
		cands := []string{f}
		if len(paths) > 0 && !filepath.IsAbs(f) {
			cands = nil
			for _, p := range paths {
				cands = append(cands, filepath.Join(p, f))
			}
		}
		for _, c := range cands {
			if p, err := ev.findFile("files", c); err == nil {
				return []any{p}, nil
			}
		}
	}
	if skip {
		return []any{}, nil
	}
	return nil, &lookupError{"No file was found when using first_found."}
}

func lookupConfig(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	onMissing := argStr(or(first(kwList(kw, "on_missing")), "error"), "error")
	for _, t := range terms {
		name := ToText(t)
		if ev.e.opts.Config != nil {
			if v, ok := ev.e.opts.Config(name); ok {
				out = append(out, v)
				continue
			}
		}
		switch onMissing {
		case "skip":
			continue
		case "warn":
			continue
		}
		return nil, fmt.Errorf("Unable to find setting %s", name)
	}
	return out, nil
}

func kwList(kw *value.Dict, k string) []any {
	if v, ok := kw.Get(k); ok {
		return []any{v}
	}
	return nil
}

func lookupCSVFile(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		params := map[string]string{"file": "ansible.csv", "delimiter": "TAB", "col": "1", "default": "", "encoding": "utf-8"}
		fields := strings.Fields(ToText(t))
		key := ""
		if len(fields) > 0 {
			key = fields[0]
		}
		for _, f := range fields[min(1, len(fields)):] {
			k, v, ok := strings.Cut(f, "=")
			if ok {
				params[k] = v
			}
		}
		for _, k := range kw.Keys() {
			v, _ := kw.Get(k)
			params[k] = ToText(v)
		}
		delim := params["delimiter"]
		if delim == "TAB" || delim == "\\t" {
			delim = "\t"
		}
		p, err := ev.findFile("files", params["file"])
		if err != nil {
			return nil, err
		}
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		r := csv.NewReader(fh)
		r.Comma = []rune(delim)[0]
		r.FieldsPerRecord = -1
		col, _ := strconv.Atoi(params["col"])
		var found any = params["default"]
		for {
			rec, err := r.Read()
			if err != nil {
				break
			}
			if len(rec) > 0 && rec[0] == key && col < len(rec) {
				found = rec[col]
				break
			}
		}
		fh.Close()
		out = append(out, found)
	}
	return out, nil
}

func lookupIni(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		params := map[string]string{"file": "ansible.ini", "section": "global", "default": "", "type": "ini"}
		fields := strings.Fields(ToText(t))
		key := ""
		if len(fields) > 0 {
			key = fields[0]
		}
		for _, f := range fields[min(1, len(fields)):] {
			if k, v, ok := strings.Cut(f, "="); ok {
				params[k] = v
			}
		}
		for _, k := range kw.Keys() {
			v, _ := kw.Get(k)
			params[k] = ToText(v)
		}
		p, err := ev.findFile("files", params["file"])
		if err != nil {
			return nil, err
		}
		fh, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		section := ""
		var found any = params["default"]
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
				continue
			}
			if params["type"] != "properties" && strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
				section = line[1 : len(line)-1]
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				k, v, ok = strings.Cut(line, ":")
			}
			if !ok {
				continue
			}
			if (params["type"] == "properties" || section == params["section"]) && strings.TrimSpace(k) == key {
				found = strings.TrimSpace(v)
			}
		}
		fh.Close()
		out = append(out, found)
	}
	return out, nil
}

func lookupUnvault(ev *evaluator, terms []any, kw *value.Dict) ([]any, error) {
	out := []any{}
	for _, t := range terms {
		p, err := ev.findFile("files", ToText(t))
		if err != nil {
			return nil, fmt.Errorf("Unable to find '%s' in expected paths", ToText(t))
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(string(b), "$ANSIBLE_VAULT;") {
			if ev.e.opts.Vault == nil {
				return nil, fmt.Errorf("Attempting to decrypt but no vault secrets found")
			}
			if b, err = ev.e.opts.Vault.Decrypt(b); err != nil {
				return nil, err
			}
		}
		out = append(out, string(b))
	}
	return out, nil
}
