package virt

import (
	"context"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// entries is what virt_net and virt_pool have in common: named libvirt
// objects that are defined or not, active or not, with autostart.
// community.libvirt's two modules share the same core logic, kept here once.
type entries interface {
	// kind names the object in messages ("network", "storage pool").
	kind() string
	// names lists the active then the inactive objects, in the daemon's order.
	names() ([]string, error)
	// isActive fails with entryNotFound when there is no such object.
	isActive(name string) (bool, error)
	start(name string) error
	stop(name string) error
	undefine(name string) error
	define(xml string) error
	autostart(name string) (bool, error)
	setAutostart(name string, on bool) error
	xml(name string) (string, error)
}

// entryNotFound is community.libvirt's EntryNotFound.
type entryNotFound struct{ kind, name string }

func (e entryNotFound) Error() string { return e.kind + " " + e.name + " not found" }

// entryRun is one run of virt_net or virt_pool.
type entryRun struct {
	call *module.Call
	e    entries
}

func (r *entryRun) check() bool { return r.call.Check }

// status is "active" or "inactive".
func (r *entryRun) status(name string) (string, error) {
	active, err := r.e.isActive(name)
	if err != nil {
		return "", err
	}
	if active {
		return "active", nil
	}
	return "inactive", nil
}

func (r *entryRun) exists(name string) (bool, error) {
	all, err := r.e.names()
	if err != nil {
		return false, err
	}
	for _, n := range all {
		if n == name {
			return true, nil
		}
	}
	return false, nil
}

// list names the objects, those in state only when state is set.
func (r *entryRun) list(state string) ([]any, error) {
	all, err := r.e.names()
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, n := range all {
		if state != "" {
			if st, err := r.status(n); err != nil || st != state {
				continue
			}
		}
		out = append(out, n)
	}
	return out, nil
}

// wouldChange is the result community.libvirt gives in check mode when an
// action would change something: it exits at once with only "changed".
var wouldChange = module.Result{"changed": true}

// changeState follows the modules' state handling. Actions answer "msg": 0,
// the libvirt call's return value.
func (r *entryRun) changeState(name, state string, del func() error) (module.Result, error) {
	res := module.Result{"changed": false}
	switch state {
	case "active":
		st, err := r.status(name)
		if err != nil {
			return nil, err
		}
		if st != "active" {
			if r.check() {
				return wouldChange, nil
			}
			if err := r.e.start(name); err != nil {
				return nil, err
			}
			res["changed"], res["msg"] = true, 0
		}
	case "present":
		ok, err := r.exists(name)
		if err != nil || ok {
			return res, err
		}
		xml := r.call.Args.String("xml")
		if xml == "" {
			return failf("%s '%s' not present, but xml not specified", r.e.kind(), name), nil
		}
		if r.check() {
			return wouldChange, nil
		}
		if err := r.e.define(xml); err != nil {
			return nil, err
		}
		return module.Result{"changed": true, "created": name}, nil
	case "inactive":
		ok, err := r.exists(name)
		if err != nil || !ok {
			return res, err
		}
		if st, err := r.status(name); err != nil || st == "inactive" {
			return res, err
		}
		if r.check() {
			return wouldChange, nil
		}
		if err := r.e.stop(name); err != nil {
			return nil, err
		}
		res["changed"], res["msg"] = true, 0
	case "absent", "undefined", "deleted":
		ok, err := r.exists(name)
		if err != nil || !ok {
			return res, err
		}
		if r.check() {
			return wouldChange, nil
		}
		if st, err := r.status(name); err != nil {
			return nil, err
		} else if st != "inactive" {
			if err := r.e.stop(name); err != nil {
				return nil, err
			}
		}
		if state == "deleted" && del != nil {
			if err := del(); err != nil {
				return nil, err
			}
		}
		if err := r.e.undefine(name); err != nil {
			return nil, err
		}
		res["changed"], res["msg"] = true, 0
	default:
		return module.Failed("unexpected state"), nil
	}
	return res, nil
}

// command runs the commands both modules have; handled is false for others.
func (r *entryRun) command(command, name string) (res module.Result, handled bool, err error) {
	switch command {
	case "define":
		xml := r.call.Args.String("xml")
		if xml == "" {
			return module.Failed("define requires xml argument"), true, nil
		}
		ok, err := r.exists(name)
		if err != nil || ok {
			// An existing object is left as it is: community.libvirt does not redefine.
			return module.Result{}, true, err
		}
		if r.check() {
			return wouldChange, true, nil
		}
		if err := r.e.define(xml); err != nil {
			return nil, true, err
		}
		return module.Result{"changed": true, "created": name}, true, nil
	case "create", "start":
		st, err := r.status(name)
		if err != nil {
			return nil, true, err
		}
		if st == "active" {
			return module.Result{command: nil}, true, nil
		}
		if r.check() {
			return wouldChange, true, nil
		}
		return module.Result{command: 0}, true, r.e.start(name)
	case "stop", "destroy":
		st, err := r.status(name)
		if err != nil {
			return nil, true, err
		}
		if st != "active" {
			return module.Result{command: nil}, true, nil
		}
		if r.check() {
			return wouldChange, true, nil
		}
		return module.Result{command: 0}, true, r.e.stop(name)
	case "undefine":
		if _, err := r.e.isActive(name); err != nil {
			return nil, true, err
		}
		if r.check() {
			return wouldChange, true, nil
		}
		return module.Result{command: 0}, true, r.e.undefine(name)
	case "status":
		st, err := r.status(name)
		return module.Result{"status": st}, true, err
	case "get_xml":
		x, err := r.e.xml(name)
		return module.Result{"get_xml": x}, true, err
	}
	return nil, false, nil
}

// setAutostart handles the autostart option alone.
func (r *entryRun) setAutostart(name string, on bool) (module.Result, error) {
	cur, err := r.e.autostart(name)
	if err != nil {
		return nil, err
	}
	res := module.Result{"changed": false}
	if cur == on {
		return res, nil
	}
	if r.check() {
		return wouldChange, nil
	}
	if err := r.e.setAutostart(name, on); err != nil {
		return nil, err
	}
	res["changed"], res["msg"] = true, 0
	return res, nil
}

// yesNo is community.libvirt's ENTRY_STATE_*_MAP for flags.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// runEntries is the Run of virt_net and virt_pool: it connects (read-only
// for the commands that only read, listCommand among them), runs the
// module's core with the objects open makes, and reports "changed": false
// where the core did not say.
func runEntries[E entries](ctx context.Context, call *module.Call, listCommand string, open func(*libvirt.Client) E,
	core func(r *entryRun, e E, command, state, name string) (module.Result, error)) (module.Result, error) {
	a := call.Args
	command, state, name := a.String("command"), a.String("state"), a.String("name")
	readOnly := state == "" && !a.Has("autostart") &&
		(command == "status" || command == "get_xml" || command == listCommand || command == "facts" || command == "info")
	lv, err := openClient(ctx, call, readOnly)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	e := open(lv)
	res, err := core(&entryRun{call: call, e: e}, e, command, state, name)
	if err != nil {
		return module.Failed(libvirtMsg(err)), nil
	}
	if _, ok := res["changed"]; !ok {
		res["changed"] = false
	}
	return res, nil
}

// withEntry looks the object named up and returns f's answer about it.
func withEntry[T, R any](lookup func(string) (T, error), name string, f func(T) (R, error)) (R, error) {
	obj, err := lookup(name)
	if err != nil {
		var none R
		return none, err
	}
	return f(obj)
}

// doEntry looks the object named up and calls f on it.
func doEntry[T any](lookup func(string) (T, error), name string, f func(T) error) error {
	obj, err := lookup(name)
	if err != nil {
		return err
	}
	return f(obj)
}

// isSet is a libvirt yes/no answer (0 or 1) as a bool.
func isSet(n int32, err error) (bool, error) { return n != 0, err }

// activeThenDefined lists the active then the defined objects, as
// entries.names does, with libvirt's two list calls of a kind.
func activeThenDefined(active, defined func(maxNames int32) ([]string, error)) ([]string, error) {
	a, err := active(1 << 14)
	if err != nil {
		return nil, err
	}
	d, err := defined(1 << 14)
	return append(a, d...), err
}
