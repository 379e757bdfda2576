package virt

import (
	"context"
	"regexp"
	"strconv"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// virt is community.libvirt.virt: guests' state and definition, and host facts.
// Its results have community.libvirt's shape, quirks included (the state
// changes answer "msg": 0, info returns one top-level key per guest), so that
// playbooks reading them keep working.
type virt struct{}

func init() { module.Register(virt{}) }

func (virt) Doc() *module.Doc { return virtDoc }

// vmCommands act on one guest; hostCommands on the host.
var (
	vmCommands   = []any{"create", "define", "destroy", "get_xml", "get_interfaces", "pause", "shutdown", "status", "start", "stop", "undefine", "unpause", "uuid"}
	hostCommands = []any{"freemem", "info", "list_vms", "nodeinfo", "virttype"}
)

// stateNames maps libvirt domain states as community.libvirt's VIRT_STATE_NAME_MAP.
var stateNames = map[uint8]string{0: "running", 1: "running", 2: "running", 3: "paused", 4: "shutdown", 5: "shutdown", 6: "crashed"}

func stateName(s uint8) string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return "unknown"
}

// vmNotFound is community.libvirt's VMNotFound message.
type vmNotFound string

func (e vmNotFound) Error() string { return "virtual machine " + string(e) + " not found" }

// virtRun is one run of the module: the call and its libvirt client.
type virtRun struct {
	call *module.Call
	lv   *libvirt.Client
}

func (virt) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	command, state := a.String("command"), a.String("state")
	readOnly := command != "" && state == "" && !a.Has("autostart") && isReadOnly(command)
	lv, err := openClient(ctx, call, readOnly)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	r := &virtRun{call: call, lv: lv}
	res, err := r.core()
	if err != nil {
		return module.Failed(libvirtMsg(err)), nil
	}
	if _, ok := res["changed"]; !ok {
		res["changed"] = false
	}
	return res, nil
}

func isReadOnly(command string) bool {
	switch command {
	case "get_xml", "get_interfaces", "status", "uuid", "freemem", "info", "list_vms", "nodeinfo", "virttype":
		return true
	}
	return false
}

// core follows community.libvirt's core(): list_vms by state first, then
// autostart, then state, then command.
func (r *virtRun) core() (module.Result, error) {
	a := r.call.Args
	command, state, guest := a.String("command"), a.String("state"), a.String("name")
	res := module.Result{}

	if state != "" && command == "list_vms" {
		vms, err := r.listVMs(state)
		if err != nil {
			return nil, err
		}
		return module.Result{"list_vms": vms}, nil
	}

	if a.Has("autostart") && command != "define" {
		if guest == "" {
			return module.Failed("autostart requires 1 argument: name"), nil
		}
		if _, err := r.findVM(guest); err != nil {
			if _, ok := err.(vmNotFound); ok {
				return failf("domain %s not found", guest), nil
			}
			return nil, err
		}
		changed, err := r.setAutostart(guest, a.Bool("autostart"))
		if err != nil {
			return nil, err
		}
		res["changed"] = changed
		if command == "" && state == "" {
			return res, nil
		}
	}

	if state != "" {
		if guest == "" {
			return module.Failed("state change requires a guest specified"), nil
		}
		return r.changeState(res, guest, state)
	}

	if command == "" {
		return module.Failed("expected state or command parameter to be specified"), nil
	}
	if command == "define" {
		return r.define()
	}
	if isVMCommand(command) {
		if guest == "" {
			return failf("%s requires 1 argument: guest", command), nil
		}
		return r.vmCommand(command, guest)
	}
	return r.hostCommand(command)
}

func isVMCommand(c string) bool {
	for _, v := range vmCommands {
		if v == c {
			return true
		}
	}
	return false
}

// findVM looks a guest up by name.
func (r *virtRun) findVM(name string) (golibvirt.Domain, error) {
	d, err := r.lv.DomainLookupByName(name)
	if libvirt.IsNoDomain(err) {
		return d, vmNotFound(name)
	}
	return d, err
}

// status is the guest's state name.
func (r *virtRun) status(name string) (string, error) {
	d, err := r.findVM(name)
	if err != nil {
		return "", err
	}
	st, _, _, _, _, err := r.lv.DomainGetInfo(d)
	if err != nil {
		return "", err
	}
	return stateName(st), nil
}

func (r *virtRun) setAutostart(name string, on bool) (bool, error) {
	d, err := r.findVM(name)
	if err != nil {
		return false, err
	}
	cur, err := r.lv.DomainGetAutostart(d)
	if err != nil {
		return false, err
	}
	if (cur != 0) == on {
		return false, nil
	}
	if !r.call.Check {
		if err := r.lv.DomainSetAutostart(d, boolInt(on)); err != nil {
			return false, err
		}
	}
	return true, nil
}

// changeState brings the guest to state, as community.libvirt does: every
// change answers "msg": 0 (the libvirt call's return value).
func (r *virtRun) changeState(res module.Result, guest, state string) (module.Result, error) {
	cur, err := r.status(guest)
	if err != nil {
		return nil, err
	}
	var action func(golibvirt.Domain) error
	switch state {
	case "running":
		switch cur {
		case "paused":
			action = r.lv.DomainResume
		case "running":
		default:
			action = r.lv.DomainCreate
		}
	case "shutdown":
		if cur != "shutdown" {
			action = r.lv.DomainShutdown
		}
	case "destroyed":
		if cur != "shutdown" {
			action = r.lv.DomainDestroy
		}
	case "paused":
		if cur == "running" {
			action = r.lv.DomainSuspend
		}
	}
	if action == nil {
		return res, nil
	}
	if !r.call.Check {
		d, err := r.findVM(guest)
		if err != nil {
			return nil, err
		}
		if err := action(d); err != nil {
			return nil, err
		}
	}
	res["changed"] = true
	res["msg"] = 0
	return res, nil
}

// listVMs names the guests, those in state only when state is set.
func (r *virtRun) listVMs(state string) ([]any, error) {
	doms, _, err := r.lv.ConnectListAllDomains(1, 0)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, d := range doms {
		if state != "" {
			st, _, _, _, _, err := r.lv.DomainGetInfo(d)
			if err != nil || stateName(st) != state {
				continue // vanished meanwhile: community.libvirt skips it too
			}
		}
		out = append(out, d.Name)
	}
	return out, nil
}

// vmCommand runs a command on one guest; its result is {command: value}.
func (r *virtRun) vmCommand(command, guest string) (module.Result, error) {
	if command == "status" {
		st, err := r.status(guest)
		if err != nil {
			return nil, err
		}
		return module.Result{"status": st}, nil
	}
	if command == "get_xml" {
		d, err := r.lv.DomainLookupByName(guest)
		if err != nil {
			return nil, err
		}
		x, err := r.lv.DomainGetXMLDesc(d, 0)
		if err != nil {
			return nil, err
		}
		return module.Result{"get_xml": x}, nil
	}
	d, err := r.findVM(guest)
	if err != nil {
		return nil, err
	}
	switch command {
	case "uuid":
		return module.Result{"uuid": uuidString(d.UUID)}, nil
	case "get_interfaces":
		return r.interfaces(d)
	case "undefine":
		return r.undefine(d)
	}
	actions := map[string]func(golibvirt.Domain) error{
		"create": r.lv.DomainCreate, "start": r.lv.DomainCreate,
		"destroy": r.lv.DomainDestroy, "pause": r.lv.DomainSuspend, "unpause": r.lv.DomainResume,
		"shutdown": r.lv.DomainShutdown, "stop": r.lv.DomainShutdown,
	}
	if !r.call.Check {
		if err := actions[command](d); err != nil {
			return nil, err
		}
	}
	// community.libvirt reports these commands unchanged; only state changes count.
	return module.Result{command: 0}, nil
}

// hostCommand answers the host-wide commands.
func (r *virtRun) hostCommand(command string) (module.Result, error) {
	switch command {
	case "list_vms":
		vms, err := r.listVMs("")
		if err != nil {
			return nil, err
		}
		return module.Result{"list_vms": vms}, nil
	case "virttype":
		t, err := r.lv.ConnectGetType()
		if err != nil {
			return nil, err
		}
		return module.Result{"virttype": t}, nil
	case "freemem":
		m, err := r.lv.NodeGetFreeMemory()
		if err != nil {
			return nil, err
		}
		return module.Result{"freemem": int(m)}, nil
	case "nodeinfo":
		return r.nodeinfo()
	case "info":
		return r.info()
	}
	return failf("Command %s not recognized", command), nil
}

func (r *virtRun) nodeinfo() (module.Result, error) {
	model, mem, cpus, mhz, nodes, sockets, cores, threads, err := r.lv.NodeGetInfo()
	if err != nil {
		return nil, err
	}
	return module.Result{
		"cpumodel": cString(model[:]), "phymemory": strconv.FormatUint(mem/1024, 10),
		"cpus": itoa(cpus), "cpumhz": itoa(mhz), "numanodes": itoa(nodes),
		"sockets": itoa(sockets), "cpucores": itoa(cores), "cputhreads": itoa(threads),
	}, nil
}

// info returns one top-level key per guest, as community.libvirt does.
func (r *virtRun) info() (module.Result, error) {
	doms, _, err := r.lv.ConnectListAllDomains(1, 0)
	if err != nil {
		return nil, err
	}
	res := module.Result{}
	for _, d := range doms {
		st, maxMem, mem, ncpu, cpuTime, err := r.lv.DomainGetInfo(d)
		if err != nil {
			return nil, err
		}
		auto, err := r.lv.DomainGetAutostart(d)
		if err != nil {
			return nil, err
		}
		res[d.Name] = map[string]any{
			"state": stateName(st), "maxMem": strconv.FormatUint(maxMem, 10), "memory": strconv.FormatUint(mem, 10),
			"nrVirtCpu": int(ncpu), "cpuTime": strconv.FormatUint(cpuTime, 10), "autostart": int(auto),
		}
	}
	return res, nil
}

var domainNameRE = regexp.MustCompile(`<name>(.*)</name>`)

func itoa(n int32) string { return strconv.Itoa(int(n)) }

// cString is the text of a NUL-terminated C char array.
func cString(b []int8) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		out = append(out, byte(c))
	}
	return string(out)
}
