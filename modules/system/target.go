package system

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// target runs commands and reads and writes files on the host of one
// module call.
type target struct {
	*remotecmd.Target
}

func newTarget(ctx context.Context, call *module.Call) *target {
	return &target{remotecmd.New(ctx, call)}
}

// readFile returns the contents of path, and false when it does not exist.
func (t *target) readFile(path string) (string, bool, error) {
	o, err := t.Sh(nil, "if test -e "+shell.Quote(path)+"; then echo y; cat "+shell.Quote(path)+"; else echo n; fi")
	if err != nil {
		return "", false, err
	}
	if o.RC != 0 {
		return "", false, fmt.Errorf("reading %s: %s", path, strings.TrimSpace(o.Stderr))
	}
	flag, content, _ := strings.Cut(o.Stdout, "\n")
	return content, flag == "y", nil
}

// writeFile replaces path with content atomically (a temporary file in the same
// directory renamed over it). An existing file keeps its owner and mode, as
// Ansible's atomic_move keeps them; a new one gets mode.
func (t *target) writeFile(path, content string, mode string) error {
	tmp := path + ".gorun-tmp"
	script := fmt.Sprintf(`set -e
tmp=%[1]s
cat > "$tmp"
if test -e %[2]s; then
  chmod --reference=%[2]s "$tmp"
  chown --reference=%[2]s "$tmp" 2>/dev/null || true
else
  chmod %[3]s "$tmp"
fi
mv -f "$tmp" %[2]s`, shell.Quote(tmp), shell.Quote(path), mode)
	o, err := t.ShIn(script, []byte(content))
	if err != nil {
		return err
	}
	if o.RC != 0 {
		t.Sh(nil, "rm -f "+shell.Quote(tmp))
		return fmt.Errorf("writing %s: %s", path, strings.TrimSpace(o.Stderr))
	}
	return nil
}

// unsupported fails naming those of the options that the task set (to
// anything but false) and that gorun does not implement yet, so that nothing is
// silently ignored. It returns nil when none is set.
func unsupported(call *module.Call, names ...string) module.Result {
	var set []string
	for _, n := range names {
		v := call.Args[n]
		if b, isBool := v.(bool); v == nil || isBool && !b {
			continue
		}
		set = append(set, n)
	}
	if len(set) == 0 {
		return nil
	}
	return module.Failed(fmt.Sprintf("gorun's %s module does not support the option(s) %s yet", call.Module, strings.Join(set, ", ")))
}

// addPathInfo is AnsibleModule.add_path_info, which exit_json applies to every
// result: when the result has a path (or dest) that exists, it gains the
// file's uid, gid, owner, group, mode, state and size.
func addPathInfo(t *target, r module.Result) error {
	p, ok := r["path"].(string)
	if _, has := r["path"]; !has {
		p, ok = r["dest"].(string)
	}
	if !ok || p == "" {
		return nil
	}
	q := shell.Quote(p)
	o, err := t.Sh(nil, "test -e "+q+" || exit 3; stat -c '%u %g %U %G %a %h %s' "+q+"; if test -L "+q+"; then echo link; elif test -d "+q+"; then echo directory; else echo file; fi")
	if err != nil || o.RC != 0 {
		return err
	}
	lines := strings.Split(strings.TrimSpace(o.Stdout), "\n")
	f := strings.Fields(lines[0])
	if len(f) != 7 || len(lines) != 2 {
		return fmt.Errorf("stat %s: unexpected output %q", p, o.Stdout)
	}
	uid, _ := strconv.Atoi(f[0])
	gid, _ := strconv.Atoi(f[1])
	owner, group := f[2], f[3]
	if owner == "UNKNOWN" {
		owner = f[0]
	}
	if group == "UNKNOWN" {
		group = f[1]
	}
	mode, _ := strconv.ParseInt(f[4], 8, 32)
	size, _ := strconv.ParseInt(f[6], 10, 64)
	state := lines[1]
	if state == "file" && f[5] != "1" {
		state = "hard"
	}
	r["uid"], r["gid"], r["owner"], r["group"] = uid, gid, owner, group
	r["mode"] = fmt.Sprintf("0%03o", mode)
	r["state"], r["size"] = state, size
	return nil
}
