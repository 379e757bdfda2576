package virt

import (
	"context"
	"fmt"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// kvmGuest is gorun.kvm.guest: a guest declared by its name, memory, vcpus,
// disks, NICs and cloud-init seed; gorun generates the domain XML, defines
// the guest when it differs and brings it to the wanted state.
type kvmGuest struct{}

func init() { module.Register(kvmGuest{}) }

func (kvmGuest) Doc() *module.Doc { return kvmGuestDoc }

type guestRun struct {
	ctx  context.Context
	call *module.Call
	lv   *libvirt.Client
	res  module.Result
}

func (kvmGuest) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	lv, err := openClient(ctx, call, false)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	r := &guestRun{ctx: ctx, call: call, lv: lv, res: module.Result{"changed": false}}
	if err := r.run(); err != nil {
		return failf("guest %s: %s", call.Args.String("name"), libvirtMsg(err)), nil
	}
	return r.res, nil
}

func (r *guestRun) run() error {
	a := r.call.Args
	name := a.String("name")
	dom, err := r.lv.DomainLookupByName(name)
	exists := err == nil
	if err != nil && !libvirt.IsNoDomain(err) {
		return err
	}
	if a.String("state") == "absent" {
		if exists {
			r.res["changed"] = true
			if !r.call.Check {
				return r.remove(dom)
			}
		}
		return nil
	}
	if !a.Bool("define") {
		if !exists {
			return fmt.Errorf("no such guest (define: false only manages an existing guest's state)")
		}
		if err := r.reachState(dom, a.String("state")); err != nil {
			return err
		}
		x, err := r.lv.DomainGetXMLDesc(dom, golibvirt.DomainXMLInactive)
		if err != nil {
			return err
		}
		return r.describe(dom, x)
	}
	spec := guestSpecFrom(a)
	if spec.domainType == "" {
		if spec.domainType, err = r.defaultDomainType(); err != nil {
			return err
		}
	}
	var before, uuid string
	var macs []string
	if exists {
		if before, err = r.lv.DomainGetXMLDesc(dom, golibvirt.DomainXMLInactive); err != nil {
			return err
		}
		uuid, macs = uuidString(dom.UUID), interfaceMACs(before)
	}
	want, err := spec.domainXML(uuid, macs)
	if err != nil {
		return err
	}
	after := want
	switch {
	case r.call.Check && !exists:
		r.res["changed"], r.res["created"] = true, true
		r.diff(before, after)
		return nil
	case r.call.Check:
		if !xmlSubset(want, before) {
			r.res["changed"], r.res["change_reason"] = true, "config changed"
			r.diff(before, after)
		}
	default:
		if dom, err = r.lv.DomainDefineXMLFlags(want, golibvirt.DomainDefineValidate); err != nil {
			return err
		}
		if after, err = r.lv.DomainGetXMLDesc(dom, golibvirt.DomainXMLInactive); err != nil {
			return err
		}
		if !exists {
			r.res["changed"], r.res["created"] = true, true
		} else if after != before {
			r.res["changed"], r.res["change_reason"] = true, "config changed"
		}
		if r.res.Changed() {
			r.diff(before, after)
		}
	}
	if a.Has("autostart") {
		cur, err := r.lv.DomainGetAutostart(dom)
		if err != nil {
			return err
		}
		if (cur != 0) != a.Bool("autostart") {
			r.res["changed"] = true
			if !r.call.Check {
				if err := r.lv.DomainSetAutostart(dom, boolInt(a.Bool("autostart"))); err != nil {
					return err
				}
			}
		}
	}
	if err := r.reachState(dom, a.String("state")); err != nil {
		return err
	}
	return r.describe(dom, after)
}

func (r *guestRun) diff(before, after string) {
	if r.call.Diff {
		r.res["diff"] = xmlDiff(before, after, "domain "+r.call.Args.String("name"))
	}
}

// defaultDomainType is kvm when the host's libvirt offers it, else qemu (TCG).
func (r *guestRun) defaultDomainType() (string, error) {
	x, err := r.lv.ConnectGetCapabilities()
	if err != nil {
		return "", err
	}
	var caps libvirtxml.Caps
	if err := caps.Unmarshal(x); err != nil {
		return "", err
	}
	for _, g := range caps.Guests {
		if g.Arch.Name != "x86_64" {
			continue
		}
		for _, d := range g.Arch.Domains {
			if d.Type == "kvm" {
				return "kvm", nil
			}
		}
	}
	return "qemu", nil
}

// reachState starts or stops the guest.
func (r *guestRun) reachState(dom golibvirt.Domain, state string) error {
	st, _, err := r.lv.DomainGetState(dom, 0)
	if err != nil {
		return err
	}
	cur := stateName(uint8(st))
	switch state {
	case "running":
		switch cur {
		case "running":
			return nil
		case "paused":
			r.res["changed"] = true
			if r.call.Check {
				return nil
			}
			return r.lv.DomainResume(dom)
		}
		r.res["changed"] = true
		if r.call.Check {
			return nil
		}
		return r.lv.DomainCreate(dom)
	case "stopped":
		if cur == "shutdown" {
			return nil
		}
		r.res["changed"] = true
		if r.call.Check {
			return nil
		}
		return r.stop(dom)
	}
	return nil
}

// stop shuts the guest down gracefully, and destroys it when it has not
// stopped after shutdown_timeout seconds.
func (r *guestRun) stop(dom golibvirt.Domain) error {
	destroyed, err := stopGuest(r.ctx, r.lv, dom, time.Duration(r.call.Args.Int("shutdown_timeout"))*time.Second)
	if destroyed {
		r.res["destroyed"] = true
	}
	return err
}

// remove destroys a running guest and undefines it (keeping its disks).
func (r *guestRun) remove(dom golibvirt.Domain) error {
	if active, err := r.lv.DomainIsActive(dom); err != nil {
		return err
	} else if active != 0 {
		if err := r.lv.DomainDestroy(dom); err != nil {
			return err
		}
	}
	return r.lv.DomainUndefineFlags(dom, golibvirt.DomainUndefineManagedSave|golibvirt.DomainUndefineSnapshotsMetadata|golibvirt.DomainUndefineNvram)
}

// describe adds the guest's UUID, state and MAC addresses to the result.
func (r *guestRun) describe(dom golibvirt.Domain, x string) error {
	r.res["uuid"] = uuidString(dom.UUID)
	if st, _, err := r.lv.DomainGetState(dom, 0); err == nil {
		r.res["status"] = stateName(uint8(st))
	} else if !libvirt.IsNoDomain(err) {
		return err
	}
	var macs []any
	for _, m := range interfaceMACs(x) {
		macs = append(macs, m)
	}
	r.res["macs"] = macs
	return nil
}
