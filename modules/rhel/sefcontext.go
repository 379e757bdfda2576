package rhel

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/modules/internal/remotecmd"
)

// sefcontextModule is community.general.sefcontext: an SELinux file
// context mapping (or a path substitution) in the policy. Ansible's module
// calls seobject.fcontextRecords from Python; gorun runs `semanage
// fcontext`, the command-line front of the same class: `-l` to read the
// records, `-a`/`-m`/`-d` with the arguments the module passes to add,
// modify and delete.
type sefcontextModule struct{}

func init() { module.Register(sefcontextModule{}) }

func (sefcontextModule) Doc() *module.Doc { return sefcontextDoc }

// fileTypeNames are seobject's names of the file types, as `semanage
// fcontext -l` prints them (option_to_file_type_str).
var fileTypeNames = map[string]string{
	"a": "all files", "b": "block device", "c": "character device", "d": "directory",
	"f": "regular file", "l": "symbolic link", "p": "named pipe", "s": "socket",
}

// fcontext is one file context record: SELinux user, role, type and range.
type fcontext struct{ user, role, typ, rng string }

// fcontextRecords is what `semanage fcontext -l` lists: the mappings by
// (target, file type name) and the path substitutions, the distribution's
// and the local ones.
type fcontextRecords struct {
	mappings         map[[2]string]*fcontext
	equivDist, equiv map[string]string
}

// substitute is semanage_fcontext_substitute_exists: the distribution's
// substitution for target before the local one.
func (r *fcontextRecords) substitute(target string) (string, bool) {
	if s, ok := r.equivDist[target]; ok {
		return s, true
	}
	s, ok := r.equiv[target]
	return s, ok
}

// parseFcontextList reads `semanage fcontext -l`: "TARGET  TYPE-NAME
// user:role:type[:range]" lines (or "<<None>>"), then the equivalence
// sections' "TARGET = SUBSTITUTE" lines.
func parseFcontextList(out string) *fcontextRecords {
	r := &fcontextRecords{mappings: map[[2]string]*fcontext{}, equivDist: map[string]string{}, equiv: map[string]string{}}
	section := r.mappings
	var equiv map[string]string
	for _, line := range pytext.SplitLines(out) {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "SELinux fcontext "):
			continue
		case trimmed == "SELinux Distribution fcontext Equivalence":
			section, equiv = nil, r.equivDist
			continue
		case trimmed == "SELinux Local fcontext Equivalence":
			section, equiv = nil, r.equiv
			continue
		}
		if section == nil {
			if t, s, ok := strings.Cut(trimmed, " = "); ok {
				equiv[t] = s
			}
			continue
		}
		fields := strings.Fields(trimmed)
		if len(fields) < 3 {
			continue
		}
		con := fields[len(fields)-1]
		rest := strings.TrimSpace(strings.TrimSuffix(trimmed, con))
		for _, name := range fileTypeNames {
			if !strings.HasSuffix(rest, " "+name) {
				continue
			}
			target := strings.TrimSpace(strings.TrimSuffix(rest, name))
			key := [2]string{target, name}
			if con == "<<None>>" {
				section[key] = nil
				break
			}
			parts := strings.SplitN(con, ":", 4)
			for len(parts) < 4 {
				parts = append(parts, "")
			}
			section[key] = &fcontext{parts[0], parts[1], parts[2], parts[3]}
			break
		}
	}
	return r
}

// sefcontextRun is one sefcontext task.
type sefcontextRun struct {
	t                                   *remotecmd.Target
	check, diff, reload                 bool
	target, ftype, state                string
	setype, substitute, seuser, serange any // nil when not given
}

// semanage is the `semanage fcontext` command line for args, with -N when
// the policy is not to be reloaded.
func (r *sefcontextRun) semanage(args ...string) []string {
	argv := []string{"semanage", "fcontext"}
	if !r.reload {
		argv = append(argv, "-N")
	}
	return append(argv, args...)
}

func (sefcontextModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	r := &sefcontextRun{t: remotecmd.New(ctx, call), check: call.Check, diff: call.Diff, reload: a.Bool("reload"),
		target: a.String("target"), ftype: a.String("ftype"), state: a.String("state"),
		setype: a["setype"], substitute: a["substitute"], seuser: a["seuser"], serange: a["selevel"]}
	bin, err := r.t.Which("semanage")
	if err != nil {
		return nil, err
	}
	if bin == "" {
		return module.Failed("Failed to find required executable \"semanage\" (policycoreutils-python-utils, the package of seobject, the library Ansible's module imports)"), nil
	}
	if !a.Bool("ignore_selinux_state") {
		o, err := r.t.Sh(nil, "selinuxenabled")
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Failed("SELinux is disabled on this host."), nil
		}
	}
	o, err := r.t.Run(nil, "semanage", "fcontext", "-l")
	if err != nil {
		return nil, err
	}
	if o.RC != 0 {
		return semanageFailed(o), nil
	}
	records := parseFcontextList(o.Stdout)
	var cmds [][]string
	var res module.Result
	if r.state == "present" {
		cmds, res = r.present(records)
	} else {
		cmds, res = r.absent(records)
	}
	for _, argv := range cmds {
		o, err := r.t.Run(nil, argv...)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return semanageFailed(o), nil
		}
	}
	res["target"], res["ftype"], res["setype"], res["substitute"], res["state"] = r.target, r.ftype, r.setype, r.substitute, r.state
	return res, nil
}

// semanageFailed is the module's failure for an exception out of
// seobject: semanage prints it as the module words it, "Class: message".
func semanageFailed(o remotecmd.Output) module.Result {
	msg := o.Stderr
	if msg == "" {
		msg = o.Stdout
	}
	return module.Failed(msg)
}

// present is semanage_fcontext_modify: the commands to run and the result.
func (r *sefcontextRun) present(records *fcontextRecords) ([][]string, module.Result) {
	var cmds [][]string
	var diff strings.Builder
	changed := false
	seuser, serange := r.seuser, r.serange
	if r.substitute == nil {
		setype := pytext.Str(r.setype)
		if cur := records.mappings[[2]string{r.target, fileTypeNames[r.ftype]}]; cur != nil {
			if seuser == nil {
				seuser = cur.user
			}
			if serange == nil {
				serange = cur.rng
			}
			if setype != cur.typ || seuser != cur.user || serange != cur.rng {
				cmds = append(cmds, r.semanage("-m", "-t", setype, "-f", r.ftype, "-r", pytext.Str(serange), "-s", pytext.Str(seuser), r.target))
				changed = true
				diff.WriteString("# Change to semanage file context mappings\n")
				fmt.Fprintf(&diff, "-%s      %s      %s:%s:%s:%s\n", r.target, r.ftype, cur.user, cur.role, cur.typ, cur.rng)
				fmt.Fprintf(&diff, "+%s      %s      %s:%s:%s:%s\n", r.target, r.ftype, pytext.Str(seuser), cur.role, setype, pytext.Str(serange))
			}
		} else {
			if seuser == nil {
				seuser = "system_u"
			}
			if serange == nil {
				serange = "s0"
			}
			cmds = append(cmds, r.semanage("-a", "-t", setype, "-f", r.ftype, "-r", pytext.Str(serange), "-s", pytext.Str(seuser), r.target))
			changed = true
			diff.WriteString("# Addition to semanage file context mappings\n")
			fmt.Fprintf(&diff, "+%s      %s      %s:%s:%s:%s\n", r.target, r.ftype, pytext.Str(seuser), "object_r", setype, pytext.Str(serange))
		}
	} else {
		sub := pytext.Str(r.substitute)
		if cur, ok := records.substitute(r.target); ok {
			if sub != cur {
				// semanage's -m -e adds rather than modifies (and fails on an
				// existing class): delete and add, as modify_equal replaces.
				cmds = append(cmds, r.semanage("-d", "-e", cur, r.target), r.semanage("-a", "-e", sub, r.target))
				changed = true
				diff.WriteString("# Change to semanage file context path substitutions\n")
				fmt.Fprintf(&diff, "-%s = %s\n+%s = %s\n", r.target, cur, r.target, sub)
			}
		} else {
			cmds = append(cmds, r.semanage("-a", "-e", sub, r.target))
			changed = true
			diff.WriteString("# Addition to semanage file context path substitutions\n")
			fmt.Fprintf(&diff, "+%s = %s\n", r.target, sub)
		}
	}
	res := module.Result{"changed": changed, "seuser": seuser, "serange": serange}
	return r.finish(cmds, res, diff.String())
}

// absent is semanage_fcontext_delete.
func (r *sefcontextRun) absent(records *fcontextRecords) ([][]string, module.Result) {
	var cmds [][]string
	var diff strings.Builder
	changed := false
	cur := records.mappings[[2]string{r.target, fileTypeNames[r.ftype]}]
	if cur != nil && r.substitute == nil {
		cmds = append(cmds, r.semanage("-d", "-f", r.ftype, r.target))
		changed = true
		diff.WriteString("# Deletion to semanage file context mappings\n")
		fmt.Fprintf(&diff, "-%s      %s      %s:%s:%s:%s\n", r.target, r.ftype, cur.user, cur.role, cur.typ, cur.rng)
	}
	sub, ok := records.substitute(r.target)
	if ok && sub != "" && r.setype == nil && (r.substitute == nil || pytext.Str(r.substitute) == sub) {
		cmds = append(cmds, r.semanage("-d", "-e", sub, r.target))
		changed = true
		diff.WriteString("# Deletion to semanage file context path substitutions\n")
		fmt.Fprintf(&diff, "-%s = %s\n", r.target, sub)
	}
	return r.finish(cmds, module.Result{"changed": changed}, diff.String())
}

// finish drops the commands in check mode and adds the prepared diff.
func (r *sefcontextRun) finish(cmds [][]string, res module.Result, diff string) ([][]string, module.Result) {
	if r.diff && diff != "" {
		res["diff"] = map[string]any{"prepared": diff}
	}
	if r.check {
		cmds = nil
	}
	return cmds, res
}

var sefcontextDoc = &module.Doc{
	Name:  "sefcontext",
	Names: []string{"community.general.sefcontext"},
	Short: "Manages SELinux file context mapping definitions",
	Description: []string{
		"Manages SELinux file context mapping definitions.",
		"Similar to the C(semanage fcontext) command.",
		"gorun runs semanage fcontext (policycoreutils-python-utils) on the target.",
	},
	Options: []module.Option{
		{Name: "ftype", Default: "a", Choices: []any{"a", "b", "c", "d", "f", "l", "p", "s"}, Description: "The file type that should have SELinux contexts applied."},
		{Name: "ignore_selinux_state", Type: "bool", Default: false, Description: "Useful for scenarios (chrooted environment) that you can't get the real SELinux state."},
		{Name: "reload", Type: "bool", Default: true, Description: "Reload SELinux policy after commit."},
		{Name: "selevel", Aliases: []string{"serange"}, Description: "SELinux range for the specified I(target)."},
		{Name: "setype", Description: "SELinux type for the specified I(target)."},
		{Name: "seuser", Description: "SELinux user for the specified I(target)."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the SELinux file context must be C(absent) or C(present)."},
		{Name: "substitute", Aliases: []string{"equal"}, Description: "Path to use to substitute file context(s) for the specified I(target). The context labeling for the I(target) subtree is made equivalent to this path."},
		{Name: "target", Aliases: []string{"path"}, Required: true, Description: "Target path (expression)."},
	},
	MutuallyExclusive: [][]string{{"setype", "substitute"}, {"substitute", "ftype"}, {"substitute", "seuser"}, {"substitute", "selevel"}},
	RequiredIf:        []module.RequiredIf{{Key: "state", Value: "present", Requires: []string{"setype", "substitute"}, Any: true}},
	Check:             module.Full,
	Diff:              module.Full,
	Examples: `- name: Allow apache to modify files in /srv/git_repos
  community.general.sefcontext:
    target: '/srv/git_repos(/.*)?'
    setype: httpd_sys_rw_content_t
    state: present

- name: Substitute file contexts for path /srv/containers with /var/lib/containers
  community.general.sefcontext:
    target: /srv/containers
    substitute: /var/lib/containers
    state: present

- name: Delete any file context mappings for path /srv/git
  community.general.sefcontext:
    target: /srv/git
    state: absent`,
	Returns: []module.Return{
		{Name: "target", Description: "The target path expression.", Returned: "success", Type: "str", Sample: "/srv/git_repos(/.*)?"},
		{Name: "ftype", Description: "The file type.", Returned: "success", Type: "str", Sample: "a"},
		{Name: "setype", Description: "The SELinux type asked for.", Returned: "success", Type: "str"},
		{Name: "substitute", Description: "The substitution path asked for.", Returned: "success", Type: "str"},
		{Name: "seuser", Description: "The SELinux user of the mapping (state present).", Returned: "success", Type: "str", Sample: "system_u"},
		{Name: "serange", Description: "The SELinux range of the mapping (state present).", Returned: "success", Type: "str", Sample: "s0"},
		{Name: "state", Description: "The state asked for.", Returned: "success", Type: "str", Sample: "present"},
	},
}
