package system

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// alternativesModule is community.general.alternatives: update-alternatives
// --display read with the Python module's regular expressions, and the
// same --install, --set, --auto and --remove commands.
type alternativesModule struct{}

func init() { module.Register(alternativesModule{}) }

func (alternativesModule) Doc() *module.Doc { return alternativesDoc }

var (
	altModeRE      = regexp.MustCompile(`(?m)\s-\s(?:status\sis\s)?(\w*)(?:\smode|.)$`)
	altPathRE      = regexp.MustCompile(`(?m)^\s*link currently points to (.*)$`)
	altLinkRE      = regexp.MustCompile(`(?m)^\s*link \w+ is (.*)$`)
	altSubLinkRE   = regexp.MustCompile(`(?m)^\s*(?:slave|follower) (\S+) is (.*)$`)
	altEntryRE     = regexp.MustCompile(`(?m)^(/.*)\s-\s(?:family\s\S+\s)?priority\s(\d+)((?:\s+(?:slave|follower).*)*)`)
	altSubcommandR = regexp.MustCompile(`(?m)^\s+(?:slave|follower) (.*): (.*)$`)
)

// alternative is one installed choice: its priority and followers.
type alternative struct {
	priority    int
	subcommands []any // of map[string]any{name, path, link}
}

// alternativesState is what update-alternatives --display tells.
type alternativesState struct {
	mode, path, link string // "" when not found
	choices          map[string]alternative
}

// parseAlternatives is AlternativesModule.parse without the diff.
func parseAlternatives(out string, params []any) alternativesState {
	s := alternativesState{choices: map[string]alternative{}}
	m := altModeRE.FindStringSubmatch(out)
	if m == nil {
		return s
	}
	s.mode = m[1]
	if m := altPathRE.FindStringSubmatch(out); m != nil {
		s.path = m[1]
	}
	if m := altLinkRE.FindStringSubmatch(out); m != nil {
		s.link = m[1]
	}
	links := map[string]any{}
	for _, m := range altSubLinkRE.FindAllStringSubmatch(out, -1) {
		links[m[1]] = m[2]
	}
	if len(links) == 0 {
		for _, p := range params {
			d, _ := p.(map[string]any)
			links[fmt.Sprint(d["name"])] = d["link"]
		}
	}
	for _, m := range altEntryRE.FindAllStringSubmatch(out, -1) {
		prio, _ := strconv.Atoi(m[2])
		subs := []any{}
		for _, sm := range altSubcommandR.FindAllStringSubmatch(m[3], -1) {
			if sm[2] != "(null)" {
				subs = append(subs, map[string]any{"name": sm[1], "path": sm[2], "link": links[sm[1]]})
			}
		}
		s.choices[m[1]] = alternative{priority: prio, subcommands: subs}
	}
	return s
}

// sameSubcommand compares two subcommand dicts as Python compares dicts.
func sameSubcommand(a, b any) bool {
	x, _ := a.(map[string]any)
	y, _ := b.(map[string]any)
	if len(x) != len(y) {
		return false
	}
	for k, v := range x {
		if w, ok := y[k]; !ok || fmt.Sprint(v) != fmt.Sprint(w) {
			return false
		}
	}
	return true
}

// containsAll reports whether every element of a is in b.
func containsAll(a, b []any) bool {
	for _, x := range a {
		found := false
		for _, y := range b {
			if sameSubcommand(x, y) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (alternativesModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	a := call.Args
	name, path, state := a.String("name"), a.String("path"), a.String("state")
	ua, err := t.Which("update-alternatives")
	if err != nil {
		return nil, err
	}
	if ua == "" {
		return module.Failed("Failed to find required executable \"update-alternatives\" in paths: /sbin:/usr/sbin:/usr/local/sbin"), nil
	}
	env := map[string]string{"LC_ALL": "C"}
	o, err := t.Sh(env, shell.Join([]string{ua, "--display", name}))
	if err != nil {
		return nil, err
	}
	var params []any
	if a.Has("subcommands") {
		for _, s := range a.List("subcommands") {
			d := module.Args{"d": s}.Dict("d")
			params = append(params, map[string]any{"name": d["name"], "path": d["path"], "link": d["link"]})
		}
	}
	cur := alternativesState{choices: map[string]alternative{}}
	if o.RC == 0 {
		cur = parseAlternatives(o.Stdout, params)
	}
	choice, installed := cur.choices[path]
	subcommands := func() []any {
		if params != nil {
			return params
		}
		if installed && len(choice.subcommands) > 0 {
			return choice.subcommands
		}
		return nil
	}
	priority := 50
	if installed {
		priority = choice.priority
	}
	if a.Has("priority") {
		priority = a.Int("priority")
	}
	link := a.String("link")
	if link == "" {
		link = cur.link
	}
	before, after := map[string]any{}, map[string]any{}
	if call.Diff && cur.mode != "" {
		if installed {
			before["state"], before["path"], before["priority"], before["link"] = "present", path, choice.priority, nilIfEmpty(cur.link)
			if len(choice.subcommands) > 0 {
				before["subcommands"] = choice.subcommands
			}
			if cur.mode == "manual" && cur.path != path {
				before["state"] = "selected"
			}
		} else {
			before["state"] = "absent"
		}
	}
	res := module.Result{"changed": false}
	var msgs []string
	runUA := func(args ...string) error {
		res["changed"] = true
		if call.Check {
			return nil
		}
		o, err := t.Sh(env, shell.Join(append([]string{ua}, args...)))
		if err == nil && o.RC != 0 {
			err = remotecmd.CommandFailed(shell.Join(append([]string{ua}, args...)), o)
		}
		return err
	}
	fail := func(err error) (module.Result, error) {
		if f, ok := err.(*remotecmd.Exit); ok {
			return f.Result, nil
		}
		return nil, err
	}
	if state != "absent" {
		needInstall := !installed || (a.Has("priority") && choice.priority != a.Int("priority")) ||
			(params != nil && (!containsAll(choice.subcommands, params) || !containsAll(params, choice.subcommands)))
		if needInstall {
			if ok, err := t.Exists(path); err != nil {
				return nil, err
			} else if !ok {
				return module.Failed(fmt.Sprintf("Specified path %s does not exist", path)), nil
			}
			if link == "" {
				return module.Failed("Needed to install the alternative, but unable to do so as we are missing the link"), nil
			}
			args := []string{"--install", link, name, path, strconv.Itoa(priority)}
			for _, s := range params {
				d := s.(map[string]any)
				args = append(args, "--slave", fmt.Sprint(d["link"]), fmt.Sprint(d["name"]), fmt.Sprint(d["path"]))
			}
			msgs = append(msgs, fmt.Sprintf("Install alternative '%s' for '%s'.", path, name))
			if err := runUA(args...); err != nil {
				return fail(err)
			}
			if call.Diff {
				after = map[string]any{"state": "present", "path": path, "priority": priority, "link": link}
				if subs := subcommands(); subs != nil {
					after["subcommands"] = subs
				}
			}
		}
		if state == "selected" && cur.path != path {
			msgs = append(msgs, fmt.Sprintf("Set alternative '%s' for '%s'.", path, name))
			if err := runUA("--set", name, path); err != nil {
				return fail(err)
			}
			if call.Diff {
				after["state"] = "selected"
			}
		}
		if state == "auto" && cur.mode == "manual" {
			msgs = append(msgs, fmt.Sprintf("Set alternative to auto for '%s'.", name))
			if err := runUA("--auto", name); err != nil {
				return fail(err)
			}
			if call.Diff {
				after["state"] = "present"
			}
		}
	} else if installed {
		msgs = append(msgs, fmt.Sprintf("Remove alternative '%s' from '%s'.", path, name))
		if err := runUA("--remove", name, path); err != nil {
			return fail(err)
		}
		if call.Diff {
			after = map[string]any{"state": "absent"}
		}
	}
	res["diff"] = map[string]any{"before": before, "after": after}
	res["msg"] = strings.Join(msgs, " ")
	return res, nil
}

var alternativesDoc = &module.Doc{
	Name:  "alternatives",
	Names: []string{"community.general.alternatives"},
	Short: "Manages alternative programs for common commands",
	Description: []string{
		"Manages symbolic links using the 'update-alternatives' tool.",
		"Useful when multiple programs are installed but provide similar functionality (e.g. different editors).",
	},
	Options: []module.Option{
		{Name: "link", Type: "path", Description: "The path to the symbolic link that should point to the real executable. This option is always required on RHEL-based distributions. On Debian-based distributions this option is required when the alternative I(name) is unknown to the system."},
		{Name: "name", Required: true, Description: "The generic name of the link."},
		{Name: "path", Type: "path", Required: true, Description: "The path to the real executable that the link should point to."},
		{Name: "priority", Type: "int", Description: "The priority of the alternative. If no priority is given for creation C(50) is used as a fallback."},
		{Name: "state", Default: "selected", Choices: []any{"present", "selected", "auto", "absent"}, Description: "C(present) - install the alternative (if not already installed), but do not set it as the currently selected alternative for the group. C(selected) - install the alternative (if not already installed), and set it as the currently selected alternative for the group. C(auto) - install the alternative (if not already installed), and set the group to auto mode. Added in community.general 5.1.0. C(absent) - removes the alternative. Added in community.general 5.1.0."},
		{Name: "subcommands", Type: "list", Elements: "dict", Aliases: []string{"slaves"}, Description: "A list of subcommands. Each subcommand needs a name, a link and a path parameter. Subcommands are also named 'slaves' or 'followers', depending on the version of alternatives.", Suboptions: []module.Option{
			{Name: "link", Type: "path", Required: true, Description: "The path to the symbolic link that should point to the real subcommand executable."},
			{Name: "name", Required: true, Description: "The generic name of the subcommand."},
			{Name: "path", Type: "path", Required: true, Description: "The path to the real executable that the subcommand should point to."},
		}},
	},
	Examples: `- name: Correct java version selected
  community.general.alternatives:
    name: java
    path: /usr/lib/jvm/java-7-openjdk-amd64/jre/bin/java

- name: Alternatives link created
  community.general.alternatives:
    name: hadoop-conf
    link: /etc/hadoop/conf
    path: /etc/hadoop/conf.ansible

- name: Make java 32 bit an alternative with low priority
  community.general.alternatives:
    name: java
    path: /usr/lib/jvm/java-7-openjdk-i386/jre/bin/java
    priority: -10

- name: Install Python 3.5 but do not select it
  community.general.alternatives:
    name: python
    path: /usr/bin/python3.5
    link: /usr/bin/python
    state: present

- name: Install Python 3.5 and reset selection to auto
  community.general.alternatives:
    name: python
    path: /usr/bin/python3.5
    link: /usr/bin/python
    state: auto

- name: keytool is a subcommand of java
  community.general.alternatives:
    name: java
    link: /usr/bin/java
    path: /usr/lib/jvm/java-7-openjdk-amd64/jre/bin/java
    subcommands:
      - name: keytool
        link: /usr/bin/keytool
        path: /usr/lib/jvm/java-7-openjdk-amd64/jre/bin/keytool`,
	Returns: []module.Return{},
	Check:   module.Full,
	Diff:    module.Full,
}
