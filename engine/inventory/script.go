package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"unicode/utf8"

	"gorun/engine/pytext"
	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// verifyScript is the script plugin's verify_file: a readable file that is
// executable or starts with "#!".
func verifyScript(path string) bool {
	if !readable(path) {
		return false
	}
	st, err := os.Stat(path)
	if err != nil || st.IsDir() {
		return false
	}
	if st.Mode()&0o111 != 0 && unixAccessX(path) {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := f.Read(head)
	return n == 2 && string(head) == "#!"
}

// parseScript is the script plugin: "PATH --list" prints JSON groups and,
// optionally, _meta.hostvars; without _meta, "PATH --host H" is run per host.
func (inv *Inventory) parseScript(path string) error {
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, "--list")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	errText := stderr.String()
	if errText != "" && !strings.HasSuffix(errText, "\n") {
		errText += "\n"
	}
	if runErr != nil {
		var exitErr *exec.ExitError
		if !errors.As(runErr, &exitErr) {
			return fmt.Errorf("problem running %s --list (%v)", path, runErr)
		}
		return fmt.Errorf("Inventory script (%s) had an execution error: %s ", path, errText)
	}
	if !utf8.Valid(stdout.Bytes()) {
		return fmt.Errorf("Inventory %s contained characters that cannot be interpreted as UTF-8", path)
	}
	data, err := value.FromJSON(stdout.Bytes())
	data = ansibleJSON(data)
	if err != nil {
		return fmt.Errorf("failed to parse executable inventory script results from %s: %v\n%s", path, err, errText)
	}
	root, ok := data.(*value.Dict)
	if !ok {
		return fmt.Errorf("failed to parse executable inventory script results from %s: needs to be a json dict\n%s", path, errText)
	}
	var meta any
	var hosts []string
	seen := map[string]bool{}
	for _, name := range root.Keys() {
		gd, _ := root.Get(name)
		if name == "_meta" {
			if m, ok := gd.(*value.Dict); ok {
				meta, _ = m.Get("hostvars") // null hostvars means: ask --host, as in Ansible
			}
			continue
		}
		added, err := inv.scriptGroup(name, gd)
		if err != nil {
			return err
		}
		for _, h := range added {
			if !seen[h] {
				seen[h] = true
				hosts = append(hosts, h)
			}
		}
	}
	for _, h := range hosts {
		var got any = value.NewDict()
		if meta == nil {
			if got, err = scriptHostVars(path, h); err != nil {
				return err
			}
		} else {
			md, ok := meta.(*value.Dict)
			if !ok {
				return fmt.Errorf("Improperly formatted host information for %s: '%s' object has no attribute 'get'", h, pyTypeShort(meta, true))
			}
			if v, ok := md.Get(h); ok {
				got = v
			}
		}
		vars, ok := got.(*value.Dict)
		if !ok {
			return fmt.Errorf("Invalid data from file, expected dictionary and got:\n\n%s", pytext.Repr(got))
		}
		if _, err := inv.addHost(h, "", -1); err != nil {
			return err
		}
		for _, k := range vars.Keys() {
			v, _ := vars.Get(k)
			if err := inv.setVariable(h, k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// scriptGroup is the script plugin's _parse_group. It returns the hosts named.
func (inv *Inventory) scriptGroup(name string, data any) ([]string, error) {
	inv.addGroup(name)
	d, ok := data.(*value.Dict)
	if !ok {
		d = value.DictOf("hosts", data)
	} else if !d.Has("hosts") && !d.Has("vars") && !d.Has("children") {
		d = value.DictOf("hosts", []any{name}, "vars", d)
	}
	var added []string
	if hv, ok := d.Get("hosts"); ok {
		list, ok := hv.([]any)
		if !ok {
			return nil, fmt.Errorf("You defined a group '%s' with bad data for the host list:\n %s", name, pytext.Repr(d))
		}
		for _, x := range list {
			h, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("Invalid host name supplied, expected a string but got %s for %s", pyTypeName(x, true), pytext.Repr(x))
			}
			if _, err := inv.addHost(h, name, -1); err != nil {
				return nil, err
			}
			added = append(added, h)
		}
	}
	if vv, ok := d.Get("vars"); ok {
		vars, ok := vv.(*value.Dict)
		if !ok {
			return nil, fmt.Errorf("You defined a group '%s' with bad data for variables:\n %s", name, pytext.Repr(d))
		}
		for _, k := range vars.Keys() {
			v, _ := vars.Get(k)
			if err := inv.setVariable(name, k, v); err != nil {
				return nil, err
			}
		}
	}
	if cv, ok := d.Get("children"); ok {
		var children []string
		switch c := cv.(type) {
		case []any:
			for _, x := range c {
				children = append(children, fmt.Sprint(x))
			}
		case *value.Dict:
			children = c.Keys()
		case string:
			for _, r := range c {
				children = append(children, string(r)) // Python iterates the characters
			}
		}
		for _, child := range children {
			inv.addGroup(child)
			if err := inv.addChild(name, child); err != nil {
				return nil, err
			}
		}
	}
	return added, nil
}

// scriptHostVars runs "PATH --host H" (get_host_variables).
func scriptHostVars(path, host string) (any, error) {
	var stdout bytes.Buffer
	cmd := exec.Command(path, "--host", host)
	cmd.Stdout = &stdout
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return nil, fmt.Errorf("problem running %s --host %s (%v)", path, host, err)
		}
		// Ansible ignores the exit status of --host and reads the output.
	}
	if strings.TrimSpace(stdout.String()) == "" {
		return value.NewDict(), nil
	}
	if v, err := value.FromJSON(stdout.Bytes()); err == nil {
		return ansibleJSON(v), nil
	}
	v, _, err := yamlx.Load(stdout.Bytes(), path)
	if err != nil {
		return nil, fmt.Errorf("could not parse post variable response: ['%s', '--host', '%s'], %s", path, host, stdout.String())
	}
	return v, nil
}
