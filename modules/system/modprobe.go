package system

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// modprobeModule is community.general.modprobe: load or unload a kernel module
// with modprobe, and with persistent keep it in /etc/modules-load.d and its
// parameters in /etc/modprobe.d.
type modprobeModule struct{}

func init() { module.Register(modprobeModule{}) }

func (modprobeModule) Doc() *module.Doc { return modprobeDoc }

// confFile is one file of a configuration directory.
type confFile struct{ path, content string }

// readConfDir reads every regular file of dir on the target.
func readConfDir(t *target, dir string) ([]confFile, error) {
	o, err := t.Sh(nil, `for f in `+shell.Quote(dir)+`/*; do test -f "$f" || continue; printf '\001%s\n' "$f"; cat "$f"; done`)
	if err != nil {
		return nil, err
	}
	var files []confFile
	for _, part := range strings.Split(o.Stdout, "\x01")[1:] {
		p, content, _ := strings.Cut(part, "\n")
		files = append(files, confFile{p, content})
	}
	return files, nil
}

func (modprobeModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	name, state, params, persistent := a.String("name"), a.String("state"), a.String("params"), a.String("persistent")
	if p, err := t.Which("modprobe"); err != nil {
		return nil, err
	} else if p == "" {
		return module.Failed("Failed to find required executable \"modprobe\" in paths: /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), nil
	}
	changed := false
	result := func() module.Result {
		return module.Result{"changed": changed, "name": name, "params": params, "state": state}
	}
	failWith := func(o remotecmd.Output) (module.Result, error) {
		r := result()
		r["failed"], r["msg"], r["rc"], r["stdout"], r["stderr"] = true, o.Stderr, o.RC, o.Stdout, o.Stderr
		return r, nil
	}
	paramWords, err := shell.Split(params)
	if err != nil {
		return module.Failed(fmt.Sprintf("cannot split params %q: %v", params, err)), nil
	}
	// loaded is module_loaded: /proc/modules, then the kernel's built-in
	// modules; a missing file fails the task as Python's open() does.
	var missing string
	loaded := func() (bool, error) {
		o, err := t.Sh(nil, `test -r /proc/modules || { echo /proc/modules; exit 2; }
grep -q `+shell.Quote("^"+strings.ReplaceAll(name, "-", "_")+" ")+` /proc/modules && exit 0
b="/lib/modules/$(uname -r)/modules.builtin"
test -r "$b" || { echo "$b"; exit 2; }
grep -q `+shell.Quote("/"+name+".ko$")+` "$b"`)
		if err == nil && o.RC == 2 {
			missing = strings.TrimSpace(o.Stdout)
		}
		return err == nil && o.RC == 0, err
	}
	isLoaded, err := loaded()
	if err != nil {
		return nil, err
	}
	if missing != "" {
		r := result()
		r["failed"], r["msg"] = true, fmt.Sprintf("[Errno 2] No such file or directory: '%s'", missing)
		return r, nil
	}
	switch {
	case state == "present" && !isLoaded:
		argv := []string{"modprobe"}
		if call.Check {
			argv = append(argv, "-n")
		}
		o, err := t.Run(nil, append(append(argv, name), paramWords...)...)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return failWith(o)
		}
		now, err := loaded()
		if err != nil {
			return nil, err
		}
		if call.Check || now {
			changed = true
		} else if o, err := t.Run(nil, append([]string{"modprobe", "-n", "--first-time", name}, paramWords...)...); err != nil {
			return nil, err
		} else if o.RC != 0 && call.Warn != nil {
			call.Warn(o.Stderr)
		}
	case state == "absent" && isLoaded:
		argv := []string{"modprobe", "-r", name}
		if call.Check {
			argv = append(argv, "-n")
		}
		o, err := t.Run(nil, argv...)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return failWith(o)
		}
		changed = true
	}

	if persistent == "disabled" {
		return result(), nil
	}
	reModule := regexp.MustCompile(`^ *` + name + ` *(?:[#;].*)?\n?$`)
	reParams := regexp.MustCompile(`^options ` + name + ` \w+=\S+ *(?:[#;].*)?\n?$`)
	reValues := regexp.MustCompile(`^options ` + name + ` (\w+=\S+) *(?:[#;].*)?\n?$`)
	modFiles, err := readConfDir(t, "/etc/modules-load.d")
	if err != nil {
		return nil, err
	}
	optFiles, err := readConfDir(t, "/etc/modprobe.d")
	if err != nil {
		return nil, err
	}
	persisted := false
	for _, f := range modFiles {
		for _, l := range strings.SplitAfter(f.content, "\n") {
			persisted = persisted || l != "" && reModule.MatchString(l)
		}
	}
	current := map[string]bool{}
	for _, f := range optFiles {
		for _, l := range strings.SplitAfter(f.content, "\n") {
			if m := reValues.FindStringSubmatch(l); m != nil {
				current[m[1]] = true
			}
		}
	}
	want := map[string]bool{}
	for _, p := range strings.Fields(params) {
		want[p] = true
	}
	paramsSet := len(want) == len(current)
	for p := range want {
		paramsSet = paramsSet && current[p]
	}
	// commentOut prefixes matching lines with '#' in files that have some,
	// joining lines as the module does ('\n'.join of lines that keep theirs).
	commentOut := func(files []confFile, re *regexp.Regexp) error {
		for _, f := range files {
			lines := strings.SplitAfter(f.content, "\n")
			if lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			hit := false
			for i, l := range lines {
				if re.MatchString(l) {
					lines[i], hit = "#"+l, true
				}
			}
			if hit && !call.Check {
				if err := t.writeFile(f.path, strings.Join(lines, "\n"), "0644"); err != nil {
					return err
				}
			}
		}
		return nil
	}
	optionsFile := func() string {
		var ls []string
		for _, p := range strings.Fields(params) {
			ls = append(ls, "options "+name+" "+p)
		}
		return strings.Join(ls, "\n") + "\n"
	}
	switch {
	case persistent == "present" && !(persisted && paramsSet):
		if !persisted {
			changed = true
			if !call.Check {
				if err := t.writeFile("/etc/modules-load.d/"+name+".conf", name+"\n", "0644"); err != nil {
					return nil, err
				}
			}
		}
		if !paramsSet {
			changed = true
			if err := commentOut(optFiles, reParams); err != nil {
				return nil, err
			}
			if !call.Check {
				if err := t.writeFile("/etc/modprobe.d/"+name+".conf", optionsFile(), "0644"); err != nil {
					return nil, err
				}
			}
		}
	case persistent == "absent" && (persisted || len(current) > 0):
		if persisted {
			changed = true
			if err := commentOut(modFiles, reModule); err != nil {
				return nil, err
			}
		}
		if len(current) > 0 {
			changed = true
			if err := commentOut(optFiles, reParams); err != nil {
				return nil, err
			}
		}
	}
	return result(), nil
}

var modprobeDoc = &module.Doc{
	Name:  "modprobe",
	Names: []string{"community.general.modprobe"},
	Short: "Load or unload kernel modules",
	Description: []string{
		"Load or unload kernel modules.",
	},
	Options: []module.Option{
		{Name: "name", Required: true, Description: "Name of kernel module to manage."},
		{Name: "params", Default: "", Description: "Modules parameters."},
		{Name: "persistent", Default: "disabled", Choices: []any{"disabled", "absent", "present"}, Description: "Persistency between reboots for configured module. This option creates files in /etc/modules-load.d/ and /etc/modprobe.d/ that make your module configuration persistent during reboots. If present, adds module name to /etc/modules-load.d/ and params to /etc/modprobe.d/ so the module will be loaded on next reboot. If absent, will comment out module name from /etc/modules-load.d/ and comment out params from /etc/modprobe.d/ so the module will not be loaded on next reboot. If disabled, will not touch anything and leave /etc/modules-load.d/ and /etc/modprobe.d/ as it is. Note that it is usually a better idea to rely on the automatic module loading by PCI IDs, USB IDs, DMI IDs or similar triggers encoded in the kernel modules themselves instead of configuration like this. In fact, most modern kernel modules are prepared for automatic loading already. Note: This option works only with distributions that use systemd when set to values other than disabled."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Whether the module should be present or absent."},
	},
	Notes: []string{"Unlike the Python module, gorun writes no persistence files in check mode."},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Add the 802.1q module
  community.general.modprobe:
    name: 8021q
    state: present

- name: Add the dummy module
  community.general.modprobe:
    name: dummy
    state: present
    params: 'numdummies=2'

- name: Add the dummy module and make sure it is loaded after reboots
  community.general.modprobe:
    name: dummy
    state: present
    params: 'numdummies=2'
    persistent: present`,
}
