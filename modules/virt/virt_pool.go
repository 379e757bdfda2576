package virt

import (
	"context"
	"strconv"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// virtPool is community.libvirt.virt_pool: libvirt storage pools.
type virtPool struct{}

func init() { module.Register(virtPool{}) }

func (virtPool) Doc() *module.Doc { return virtPoolDoc }

var (
	poolEntryCommands = []any{"create", "status", "start", "stop", "build", "delete", "undefine", "destroy", "get_xml", "define", "refresh"}
	poolHostCommands  = []any{"list_pools", "facts", "info"}
)

// poolBuildFlags and poolDeleteFlags are community.libvirt's mode maps.
var (
	poolBuildFlags  = map[string]golibvirt.StoragePoolBuildFlags{"new": 0, "repair": 1, "resize": 2, "no_overwrite": 4, "overwrite": 8}
	poolDeleteFlags = map[string]golibvirt.StoragePoolDeleteFlags{"normal": 0, "zeroed": 1}
	poolStateNames  = map[uint8]string{0: "inactive", 1: "building", 2: "running", 3: "degraded", 4: "inaccessible"}
)

// pools implements entries with libvirt's storage pool calls.
type pools struct{ lv *libvirt.Client }

func (pools) kind() string { return "storage pool" }

func (p pools) lookup(name string) (golibvirt.StoragePool, error) {
	pool, err := p.lv.StoragePoolLookupByName(name)
	if libvirt.IsNoPool(err) {
		return pool, entryNotFound{"storage pool", name}
	}
	return pool, err
}

func (p pools) names() ([]string, error) {
	return activeThenDefined(p.lv.ConnectListStoragePools, p.lv.ConnectListDefinedStoragePools)
}

func (p pools) isActive(name string) (bool, error) {
	return isSet(withEntry(p.lookup, name, p.lv.StoragePoolIsActive))
}

func (p pools) start(name string) error {
	return doEntry(p.lookup, name, func(pool golibvirt.StoragePool) error { return p.lv.StoragePoolCreate(pool, 0) })
}
func (p pools) stop(name string) error     { return doEntry(p.lookup, name, p.lv.StoragePoolDestroy) }
func (p pools) undefine(name string) error { return doEntry(p.lookup, name, p.lv.StoragePoolUndefine) }

func (p pools) define(xml string) error {
	_, err := p.lv.StoragePoolDefineXML(xml, 0)
	return err
}

func (p pools) autostart(name string) (bool, error) {
	return isSet(withEntry(p.lookup, name, p.lv.StoragePoolGetAutostart))
}

func (p pools) setAutostart(name string, on bool) error {
	return doEntry(p.lookup, name, func(pool golibvirt.StoragePool) error { return p.lv.StoragePoolSetAutostart(pool, boolInt(on)) })
}

func (p pools) xml(name string) (string, error) {
	return withEntry(p.lookup, name, func(pool golibvirt.StoragePool) (string, error) { return p.lv.StoragePoolGetXMLDesc(pool, 0) })
}

func (p pools) delete(name, mode string) error {
	return doEntry(p.lookup, name, func(pool golibvirt.StoragePool) error { return p.lv.StoragePoolDelete(pool, poolDeleteFlags[mode]) })
}

func (virtPool) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	return runEntries(ctx, call, "list_pools", func(lv *libvirt.Client) pools { return pools{lv} }, poolCore)
}

// poolCore follows community.libvirt's virt_pool core().
func poolCore(r *entryRun, p pools, command, state, name string) (module.Result, error) {
	a := r.call.Args
	mode := a.String("mode")
	if state != "" && command == "list_pools" {
		l, err := r.list(state)
		return module.Result{"list_pools": l}, err
	}
	if state != "" {
		if name == "" {
			return module.Failed("state change requires a specified name"), nil
		}
		return r.changeState(name, state, func() error { return p.delete(name, mode) })
	}
	if command != "" {
		switch command {
		case "list_pools":
			l, err := r.list("")
			return module.Result{"list_pools": l}, err
		case "facts", "info":
			return p.facts(command)
		}
		if name == "" {
			return failf("%s requires 1 argument: name", command), nil
		}
		switch command {
		case "build", "delete":
			pool, err := p.lookup(name)
			if err != nil {
				return nil, err
			}
			if r.check() {
				return module.Result{"changed": true}, nil
			}
			if command == "build" {
				err = p.lv.StoragePoolBuild(pool, poolBuildFlags[mode])
			} else {
				err = p.lv.StoragePoolDelete(pool, poolDeleteFlags[mode])
			}
			return module.Result{"changed": true, command: 0}, err
		case "refresh":
			pool, err := p.lookup(name)
			if err != nil {
				return nil, err
			}
			if !r.check() {
				err = p.lv.StoragePoolRefresh(pool, 0)
			}
			return module.Result{"refresh": 0}, err
		}
		res, _, err := r.command(command, name)
		return res, err
	}
	if a.Has("autostart") {
		if name == "" {
			return module.Failed("state change requires a specified name"), nil
		}
		return r.setAutostart(name, a.Bool("autostart"))
	}
	return module.Failed("expected state or command parameter to be specified"), nil
}

// facts describes every pool as community.libvirt does, under
// ansible_facts.ansible_libvirt_pools or, for info, pools.
func (p pools) facts(command string) (module.Result, error) {
	names, err := p.names()
	if err != nil {
		return nil, err
	}
	results := map[string]any{}
	for _, name := range names {
		f, err := p.poolFacts(name)
		if err != nil {
			return nil, err
		}
		results[name] = f
	}
	if command == "info" {
		return module.Result{"pools": results}, nil
	}
	return module.Result{"ansible_facts": map[string]any{"ansible_libvirt_pools": results}}, nil
}

func (p pools) poolFacts(name string) (map[string]any, error) {
	pool, err := p.lookup(name)
	if err != nil {
		return nil, err
	}
	st, capacity, allocation, available, err := p.lv.StoragePoolGetInfo(pool)
	if err != nil {
		return nil, err
	}
	auto, err := p.lv.StoragePoolGetAutostart(pool)
	if err != nil {
		return nil, err
	}
	persistent, err := p.lv.StoragePoolIsPersistent(pool)
	if err != nil {
		return nil, err
	}
	active, err := p.lv.StoragePoolIsActive(pool)
	if err != nil {
		return nil, err
	}
	status, ok := poolStateNames[st]
	if !ok {
		status = "unknown"
	}
	state := "inactive"
	if active != 0 {
		state = "active"
	}
	x, err := p.lv.StoragePoolGetXMLDesc(pool, 0)
	if err != nil {
		return nil, err
	}
	var def libvirtxml.StoragePool
	if err := def.Unmarshal(x); err != nil {
		return nil, err
	}
	f := map[string]any{
		"status": status, "size_total": strconv.FormatUint(capacity, 10),
		"size_used": strconv.FormatUint(allocation, 10), "size_available": strconv.FormatUint(available, 10),
		"autostart": yesNo(auto != 0), "persistent": yesNo(persistent != 0), "state": state,
		"type": def.Type, "uuid": uuidString(pool.UUID), "volume_count": -1,
	}
	if active != 0 {
		vols, err := p.lv.StoragePoolListVolumes(pool, 1<<14)
		if err != nil {
			return nil, err
		}
		list := make([]any, len(vols))
		for i, v := range vols {
			list[i] = v
		}
		f["volume_count"], f["volumes"] = len(vols), list
	}
	if def.Target != nil && def.Target.Path != "" {
		f["path"] = def.Target.Path
	}
	if src := def.Source; src != nil {
		if len(src.Host) > 0 {
			f["host"] = src.Host[0].Name
		}
		if src.Dir != nil {
			f["source_path"] = src.Dir.Path
		}
		if src.Format != nil {
			f["format"] = src.Format.Type
		}
		if len(src.Device) > 0 {
			var devs []any
			for _, d := range src.Device {
				devs = append(devs, d.Path)
			}
			f["devices"] = devs
		}
	}
	return f, nil
}
