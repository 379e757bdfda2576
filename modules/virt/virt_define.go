package virt

import (
	"fmt"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/google/uuid"
	"libvirt.org/go/libvirtxml"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// define defines (or redefines) a guest from the xml option. It is idempotent:
// the guest's inactive XML before and after tells whether anything changed.
func (r *virtRun) define() (module.Result, error) {
	a := r.call.Args
	xml := a.String("xml")
	if xml == "" {
		return module.Failed("define requires xml argument"), nil
	}
	if a.String("name") != "" && r.call.Warn != nil {
		// There might be a mismatch between the guest's name in the module and in the xml.
		r.call.Warn("'xml' is given - ignoring 'name'")
	}
	m := domainNameRE.FindStringSubmatch(xml)
	if m == nil {
		return module.Failed("Could not find domain 'name' in xml"), nil
	}
	name := m[1]

	var before string
	existing, err := r.findVM(name)
	found := err == nil
	switch {
	case found:
		if before, err = r.lv.DomainGetXMLDesc(existing, golibvirt.DomainXMLInactive); err != nil {
			return nil, err
		}
		xml, err = mutate(xml, existing, a.Strings("mutate_flags"))
		if err != nil {
			return module.Failed(err.Error()), nil
		}
	case !isNotFound(err):
		return nil, err
	}

	res := module.Result{}
	after := xml
	if r.call.Check {
		switch {
		case !found:
			res = module.Result{"changed": true, "created": name}
		case !xmlSubset(xml, before):
			res = module.Result{"changed": true, "change_reason": "config changed"}
		}
	} else {
		d, err := r.lv.DomainDefineXMLFlags(xml, 0)
		switch {
		case libvirt.HasCode(err, golibvirt.ErrOperationFailed):
			// community.libvirt ignores libvirt's "domain already exists"
			// (an existing name with another UUID) and reports no change.
		case err != nil:
			return failf("libvirtError: %s", libvirtMsg(err)), nil
		default:
			if after, err = r.lv.DomainGetXMLDesc(d, golibvirt.DomainXMLInactive); err != nil {
				return nil, err
			}
			if !found {
				res = module.Result{"changed": true, "created": d.Name}
			} else if before != after {
				res = module.Result{"changed": true, "change_reason": "config changed"}
			}
		}
	}
	if r.call.Diff && res.Changed() {
		res["diff"] = xmlDiff(before, after, "domain "+name)
	}
	if a.Has("autostart") && (found || !r.call.Check) {
		changed, err := r.setAutostart(name, a.Bool("autostart"))
		if err != nil {
			return nil, err
		}
		if changed {
			// community.libvirt replaces the result here, dropping "created".
			diff := res["diff"]
			res = module.Result{"changed": true, "change_reason": "autostart"}
			if diff != nil {
				res["diff"] = diff
			}
		}
	}
	return res, nil
}

func isNotFound(err error) bool {
	_, ok := err.(vmNotFound)
	return ok
}

// mutate applies mutate_flags to the XML of an existing guest. ADD_UUID gives
// an XML without <uuid> the guest's UUID, so that redefining it updates the
// guest instead of clashing with it; the text is otherwise kept as written.
func mutate(xml string, existing golibvirt.Domain, flags []string) (string, error) {
	for _, f := range flags {
		switch f {
		case "ADD_UUID":
			if !strings.Contains(xml, "<uuid>") {
				loc := domainNameRE.FindStringIndex(xml)
				xml = xml[:loc[1]] + "\n  <uuid>" + uuidString(existing.UUID) + "</uuid>" + xml[loc[1]:]
			}
		default:
			return "", fmt.Errorf("mutate_flags %s is not supported by gorun yet (only ADD_UUID is)", f)
		}
	}
	return xml, nil
}

func uuidString(u golibvirt.UUID) string { return uuid.UUID(u).String() }

// undefineFlags maps the flags option to libvirt's undefine flags.
var undefineFlags = map[string]golibvirt.DomainUndefineFlagsValues{
	"managed_save":         golibvirt.DomainUndefineManagedSave,
	"snapshots_metadata":   golibvirt.DomainUndefineSnapshotsMetadata,
	"nvram":                golibvirt.DomainUndefineNvram,
	"keep_nvram":           golibvirt.DomainUndefineKeepNvram,
	"checkpoints_metadata": golibvirt.DomainUndefineCheckpointsMetadata,
}

// undefine removes the guest's definition; with force a running guest is
// destroyed first.
func (r *virtRun) undefine(d golibvirt.Domain) (module.Result, error) {
	var flags golibvirt.DomainUndefineFlagsValues
	for _, f := range r.call.Args.Strings("flags") {
		flags |= undefineFlags[f]
	}
	if r.call.Check {
		return module.Result{"undefine": 0}, nil
	}
	if r.call.Args.Bool("force") {
		if active, err := r.lv.DomainIsActive(d); err == nil && active != 0 {
			if err := r.lv.DomainDestroy(d); err != nil {
				return nil, err
			}
		}
	}
	if err := r.lv.DomainUndefineFlags(d, flags); err != nil {
		return nil, err
	}
	return module.Result{"undefine": 0}, nil
}

// interfaces lists the guest's network interfaces from its XML.
func (r *virtRun) interfaces(d golibvirt.Domain) (module.Result, error) {
	x, err := r.lv.DomainGetXMLDesc(d, 0)
	if err != nil {
		return nil, err
	}
	var dom libvirtxml.Domain
	if err := dom.Unmarshal(x); err != nil {
		return nil, fmt.Errorf("reading the XML of %s: %v", d.Name, err)
	}
	ifaces := map[string]any{}
	if dom.Devices != nil {
		for i, nic := range dom.Devices.Interfaces {
			info := map[string]any{"type": interfaceType(nic), "source": interfaceSource(nic)}
			if nic.MAC != nil {
				info["mac"] = nic.MAC.Address
			}
			ifaces[fmt.Sprintf("network_interface_%d", i+1)] = info
		}
	}
	return module.Result{"network_interfaces": ifaces}, nil
}

func interfaceType(nic libvirtxml.DomainInterface) string {
	s := nic.Source
	switch {
	case s == nil:
		return ""
	case s.Network != nil:
		return "network"
	case s.Bridge != nil:
		return "bridge"
	case s.Direct != nil:
		return "direct"
	case s.User != nil:
		return "user"
	}
	return "other"
}

func interfaceSource(nic libvirtxml.DomainInterface) string {
	s := nic.Source
	switch {
	case s == nil:
		return ""
	case s.Network != nil:
		return s.Network.Network
	case s.Bridge != nil:
		return s.Bridge.Bridge
	case s.Direct != nil:
		return s.Direct.Dev
	}
	return ""
}
