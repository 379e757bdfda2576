package runner

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/template"
	"gorun/engine/value"
)

// playRun is one play being run.
type playRun struct {
	r    *Runner
	play *playbook.Play
	name string

	pattern  string       // the play's hosts, templated
	allNames []string     // every host the play targets
	batch    []*hostState // the current serial batch

	playRoles  []*playbook.Role // roles: section (for public vars and role_names)
	promptVars *value.Dict
	varsFiles  map[string]*value.Dict // per host
	// varsFilesJSON names, per host, the vars_files variables whose value
	// came from a JSON file (str, not AnsibleUnicode).
	varsFilesJSON map[string]map[string]bool

	handlers []*playbook.Task // in definition order

	endPlay  bool // meta: end_play / end_batch
	strategy string
	// fatal is an error that ends the run (a notification nobody answers).
	fatal error

	mu sync.Mutex
}

func (pr *playRun) batchNames() []string {
	var out []string
	for _, h := range pr.batch {
		out = append(out, h.name)
	}
	return out
}

// activeNames are the hosts of the play that have not failed (ansible_play_hosts).
func (pr *playRun) activeNames() []string {
	var out []string
	for _, n := range pr.allNames {
		h := pr.r.host(n)
		if !h.failed && !h.unreachable {
			out = append(out, n)
		}
	}
	return out
}

func (pr *playRun) roleNames() []string {
	var out []string
	for _, r := range pr.playRoles {
		out = append(out, r.Name)
	}
	return out
}

// playTemplar renders play-level keywords with play and extra vars (no host).
func (r *Runner) playContext(play *playbook.Play) *template.Context {
	m := map[string]any{}
	if play.ImportVars != nil {
		for _, k := range play.ImportVars.Keys() {
			m[k], _ = play.ImportVars.Get(k)
		}
	}
	for _, k := range play.Vars.Keys() {
		m[k], _ = play.Vars.Get(k)
	}
	for _, k := range r.opts.ExtraVars.Keys() {
		m[k], _ = r.opts.ExtraVars.Get(k)
	}
	m["groups"] = groupsVar(r.opts.Inventory)
	m["playbook_dir"] = r.playbookDir(play)
	m["omit"] = template.Omit()
	m["ansible_check_mode"] = r.opts.Check
	return &template.Context{Vars: m, SearchPath: []string{play.Dir}}
}

// playbookDir is playbook_dir for a play: the directory of the playbook file
// the play is in, as Ansible's PlaybookExecutor sets the loader's basedir
// for each play (an imported playbook's plays see their own directory).
func (r *Runner) playbookDir(play *playbook.Play) string {
	if play != nil && play.Dir != "" {
		return play.Dir
	}
	return r.opts.PlaybookDir
}

func (r *Runner) runPlay(ctx context.Context, play *playbook.Play) error {
	tctx := r.playContext(play)
	name := play.Name()
	if name != "" {
		if s, err := r.opts.Templates.RenderString(name, tctx); err == nil {
			name = s
		}
	}
	pattern, err := hostPattern(play.Attrs["hosts"], r, tctx)
	if err != nil {
		return err
	}
	if name == "" {
		name = pattern
	}
	pr := &playRun{r: r, play: play, name: name, varsFiles: map[string]*value.Dict{}, varsFilesJSON: map[string]map[string]bool{}, promptVars: value.NewDict()}
	pr.strategy = "linear"
	if s, ok := play.Attrs["strategy"]; ok {
		v, err := r.opts.Templates.RenderString(fmt.Sprint(s), tctx)
		if err != nil {
			return err
		}
		pr.strategy = strings.TrimPrefix(v, "ansible.builtin.")
		switch pr.strategy {
		case "linear", "free", "host_pinned":
		default:
			return fmt.Errorf("Invalid play strategy specified: %s (gorun supports linear, free and host_pinned)", v)
		}
	}
	for _, unsupported := range []string{"vars_prompt", "debugger", "order"} {
		if v, ok := play.Attrs[unsupported]; ok && v != nil && unsupported != "order" {
			if unsupported == "vars_prompt" {
				if err := pr.varsPrompt(v); err != nil {
					return err
				}
				continue
			}
			return fmt.Errorf("the play keyword '%s' is not supported by gorun yet", unsupported)
		}
	}
	pr.pattern = pattern
	hosts, err := pr.playHosts()
	if err != nil {
		return err
	}
	pr.allNames = hosts
	playStart := func() {
		r.emit(func(cb output.Callback) {
			cb.PlayStart(&output.Play{Name: name, Hosts: hosts, Check: r.opts.Check, Strategy: pr.strategy})
		})
	}
	if len(hosts) == 0 {
		playStart()
		r.emit(func(cb output.Callback) { cb.NoHostsMatched() })
		return nil
	}
	for _, rl := range play.Roles {
		pr.playRoles = append(pr.playRoles, flattenRoles(rl)...)
	}
	pr.collectHandlers()

	batches, err := pr.serialBatches(hosts, tctx)
	if err != nil {
		return err
	}
	for _, batch := range batches {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Each batch is a run of the play, with its banner.
		playStart()
		pr.batch = nil
		for _, n := range batch {
			h := r.host(n)
			// Hosts that failed or were unreachable in an earlier play stay
			// out, as Ansible's TaskQueueManager marks them failed again.
			h.ended = false
			h.notified = map[*playbook.Task]bool{}
			pr.batch = append(pr.batch, h)
		}
		before := map[*hostState]bool{}
		for _, h := range pr.batch {
			before[h] = h.failed || h.unreachable
		}
		if err := pr.runBatch(ctx); err != nil {
			return err
		}
		r.lastResult = pr.playResult()
		if r.failedBreak {
			r.lastResult = ExitHostFailed
		}
		if pr.endPlay || r.breakPlaybook {
			break
		}
		// A batch whose hosts all failed ends the playbook, as in Ansible's
		// PlaybookExecutor.
		newlyFailed := 0
		for _, h := range pr.batch {
			if (h.failed || h.unreachable) && !before[h] {
				newlyFailed++
			}
		}
		if newlyFailed == len(pr.batch) {
			r.breakPlaybook = true
			r.lastResult = ExitHostFailed
			if pr.playResult() == ExitUnreachable {
				r.lastResult = ExitUnreachable
			}
			break
		}
	}
	return nil
}

// flattenRoles lists a role's dependencies (depth first) then the role.
func flattenRoles(rl *playbook.Role) []*playbook.Role {
	var out []*playbook.Role
	for _, d := range rl.Deps {
		out = append(out, flattenRoles(d)...)
	}
	return append(out, rl)
}

func hostPattern(v any, r *Runner, tctx *template.Context) (string, error) {
	var parts []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			parts = append(parts, fmt.Sprint(x))
		}
	default:
		parts = append(parts, fmt.Sprint(t))
	}
	p := strings.Join(parts, ",")
	s, err := r.opts.Templates.RenderString(p, tctx)
	if err != nil {
		return "", err
	}
	return s, nil
}

// playHosts are the hosts the play's pattern selects, in the play's order.
func (pr *playRun) playHosts() ([]string, error) {
	hosts, err := pr.r.selectHosts(pr.pattern)
	if err != nil {
		return nil, err
	}
	if o, ok := pr.play.Attrs["order"]; ok {
		return orderHosts(hosts, fmt.Sprint(o))
	}
	return hosts, nil
}

// selectHosts applies the play pattern and --limit.
func (r *Runner) selectHosts(pattern string) ([]string, error) {
	hs, err := r.opts.Inventory.Hosts(pattern)
	if err != nil {
		return nil, err
	}
	var limit map[string]bool
	if r.opts.Limit != "" {
		lh, err := r.opts.Inventory.Hosts(r.opts.Limit)
		if err != nil {
			return nil, err
		}
		limit = map[string]bool{}
		for _, h := range lh {
			limit[h.Name] = true
		}
	}
	var out []string
	for _, h := range hs {
		if limit == nil || limit[h.Name] {
			out = append(out, h.Name)
		}
	}
	return out, nil
}

func orderHosts(hosts []string, order string) ([]string, error) {
	out := append([]string(nil), hosts...)
	switch order {
	case "inventory", "":
	case "reverse_inventory":
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	case "sorted":
		sort.Strings(out)
	case "reverse_sorted":
		sort.Strings(out)
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	default:
		return nil, fmt.Errorf("the play keyword 'order: %s' is not supported by gorun yet", order)
	}
	return out, nil
}

// serialBatches splits hosts by the play's serial keyword (number, percentage or list).
func (pr *playRun) serialBatches(hosts []string, tctx *template.Context) ([][]string, error) {
	raw, ok := pr.play.Attrs["serial"]
	if !ok || raw == nil {
		return [][]string{hosts}, nil
	}
	rendered, err := pr.r.opts.Templates.Template(raw, tctx)
	if err != nil {
		return nil, err
	}
	sizes := []any{rendered}
	if l, ok := rendered.([]any); ok {
		sizes = l
	}
	var out [][]string
	rest := hosts
	i := 0
	for len(rest) > 0 {
		spec := sizes[len(sizes)-1]
		if i < len(sizes) {
			spec = sizes[i]
		}
		n, err := batchSize(spec, len(hosts))
		if err != nil {
			return nil, err
		}
		if n <= 0 || n > len(rest) {
			n = len(rest)
		}
		out = append(out, rest[:n])
		rest = rest[n:]
		i++
	}
	return out, nil
}

func batchSize(spec any, total int) (int, error) {
	switch t := spec.(type) {
	case int:
		return t, nil
	case string:
		if p, ok := strings.CutSuffix(strings.TrimSpace(t), "%"); ok {
			f, err := strconv.ParseFloat(p, 64)
			if err != nil {
				return 0, fmt.Errorf("invalid serial percentage %q", t)
			}
			n := int(math.Floor(f / 100 * float64(total)))
			if n < 1 {
				n = 1
			}
			return n, nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(t))
		if err != nil {
			return 0, fmt.Errorf("invalid serial value %q", t)
		}
		return n, nil
	}
	return 0, fmt.Errorf("invalid serial value %v", spec)
}

func (pr *playRun) activeInBatch() []*hostState {
	var out []*hostState
	for _, h := range pr.batch {
		if !h.failed && !h.unreachable && !h.ended {
			out = append(out, h)
		}
	}
	return out
}

// runBatch runs the play's sections for the current batch, as Ansible orders
// them: facts, pre_tasks, handlers, roles and tasks, handlers, post_tasks, handlers.
func (pr *playRun) runBatch(ctx context.Context) error {
	if err := pr.loadVarsFiles(); err != nil {
		return err
	}
	if pr.shouldGather() {
		pr.gatherFacts(ctx)
	}
	sections := [][]*playbook.Block{pr.play.PreTasks, nil, pr.play.PostTasks}
	for i, sec := range sections {
		if pr.endPlay {
			return nil
		}
		if i == 1 {
			if err := pr.runRoles(ctx); err != nil {
				return err
			}
			if err := pr.runBlocks(ctx, pr.play.Tasks, pr.batch); err != nil {
				return err
			}
		} else if err := pr.runBlocks(ctx, sec, pr.batch); err != nil {
			return err
		}
		if err := pr.flushHandlers(ctx); err != nil {
			return err
		}
	}
	return nil
}

// runRoles runs the roles: section, dependencies first, each role once per play
// unless it allows duplicates or has different parameters.
func (pr *playRun) runRoles(ctx context.Context) error {
	seen := map[string]bool{}
	for _, rl := range pr.play.Roles {
		if err := pr.runRole(ctx, rl, pr.batch, seen); err != nil {
			return err
		}
	}
	return nil
}

func (pr *playRun) runRole(ctx context.Context, rl *playbook.Role, hosts []*hostState, seen map[string]bool) error {
	for _, d := range rl.Deps {
		if err := pr.runRole(ctx, d, hosts, seen); err != nil {
			return err
		}
	}
	key := roleKey(rl)
	if seen[key] && !rl.AllowDuplicates {
		return nil
	}
	seen[key] = true
	return pr.runBlocks(ctx, rl.Tasks, hosts)
}

func roleKey(rl *playbook.Role) string {
	b, _ := rl.Params.MarshalJSON()
	v, _ := rl.EntryVars.MarshalJSON()
	return rl.Path + "|" + string(b) + "|" + string(v)
}

func (pr *playRun) loadVarsFiles() error {
	raw, ok := pr.play.Attrs["vars_files"]
	if !ok || raw == nil {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		list = []any{raw}
	}
	for _, h := range pr.batch {
		merged := value.NewDict()
		fromJSON := map[string]bool{}
		tctx := &template.Context{Vars: pr.r.vars(h, scope{pr: pr}), SearchPath: []string{pr.play.Dir}}
		for _, entry := range list {
			candidates := []any{entry}
			if l, isList := entry.([]any); isList {
				candidates = l // first found
			}
			loaded := false
			var lastErr error
			for _, c := range candidates {
				name, err := pr.r.opts.Templates.RenderString(fmt.Sprint(c), tctx)
				if err != nil {
					lastErr = err
					continue
				}
				path := pr.varsFilePath(name)
				d, isJSON, err := pr.r.opts.Loader.ReadVarsFile(path)
				if err != nil {
					lastErr = err
					continue
				}
				for _, k := range d.Keys() {
					v, _ := d.Get(k)
					merged.Set(k, v)
					fromJSON[k] = isJSON
				}
				loaded = true
				break
			}
			if !loaded {
				return fmt.Errorf("vars file %v was not found or could not be read: %v", entry, lastErr)
			}
		}
		pr.varsFiles[h.name] = merged
		pr.varsFilesJSON[h.name] = fromJSON
	}
	return nil
}

func isAbs(p string) bool { return strings.HasPrefix(p, "/") }

// varsFilePath finds a vars_files entry as path_dwim_relative_stack does
// with the play's search path: the play's directory (the working directory
// for a play read from JSON, which has no file), then the playbook
// directory, each with vars/ tried first. A name found nowhere is left as
// the play's directory would have it, for the error.
func (pr *playRun) varsFilePath(name string) string {
	if isAbs(name) {
		return name
	}
	dirs := []string{pr.play.Dir}
	if pr.play.Pos.JSON {
		if wd, err := os.Getwd(); err == nil {
			dirs[0] = wd
		}
	}
	dirs = append(dirs, pr.r.playbookDir(pr.play))
	for _, d := range dirs {
		for _, p := range []string{filepath.Join(d, "vars", name), filepath.Join(d, name)} {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	return pr.play.Dir + "/" + name
}
