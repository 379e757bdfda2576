package virt

import (
	"context"
	"fmt"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// kvmMigrate is gorun.kvm.migrate: cold migration of a guest from the task's
// host to another KVM host of the inventory. It stops the guest, streams its
// volumes (and the base images they are overlays of, when the target lacks
// them) from one libvirtd to the other through the controller, verifies each
// copy's SHA-256 on the target, defines and starts the guest there, and
// undefines it on the source only then. Every step looks before it acts, so
// a run that broke off is resumed by running the task again.
type kvmMigrate struct{}

func init() { module.Register(kvmMigrate{}) }

func (kvmMigrate) Doc() *module.Doc { return kvmMigrateDoc }

// migration is one run of gorun.kvm.migrate.
type migration struct {
	ctx        context.Context
	call       *module.Call
	name       string
	src, dst   *libvirt.Client
	from, to   string // host names, for messages and the plan
	res        module.Result
	plan       []any
	copiedVols []any
}

func (kvmMigrate) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	if call.ConnectTo == nil {
		return module.Failed("gorun.kvm.migrate needs a connection to the destination host, which only a playbook run gives"), nil
	}
	from, to := call.Host, a.String("dest")
	if call.Delegate != "" {
		from = call.Delegate
	}
	if to == from {
		return failf("dest %s is the host the task runs on: delegate the task to the guest's current KVM host", to), nil
	}
	src, err := openClient(ctx, call, false)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	dconn, err := call.ConnectTo(ctx, to)
	if err != nil {
		return failf("connecting to %s: %v", to, err), nil
	}
	destURI := a.String("dest_uri")
	if destURI == "" {
		destURI = a.String("uri")
	}
	dst, err := libvirt.Open(ctx, dconn, to, destURI, false)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	m := &migration{ctx: ctx, call: call, name: a.String("name"), src: src, dst: dst, from: from, to: to,
		res: module.Result{"changed": false}}
	if err := m.run(); err != nil {
		m.res["failed"], m.res["msg"] = true, fmt.Sprintf("migrating %s from %s to %s: %v", m.name, m.from, m.to, err)
	}
	m.res["plan"] = m.plan
	m.res["volumes"] = m.copiedVols
	return m.res, nil
}

// lookup finds the guest on a host; found is false when it is not defined there.
func lookup(lv *libvirt.Client, name string) (dom golibvirt.Domain, found bool, err error) {
	dom, err = lv.DomainLookupByName(name)
	if libvirt.IsNoDomain(err) {
		return dom, false, nil
	}
	return dom, err == nil, err
}

// step records a step of the plan; in check mode nothing else happens.
func (m *migration) step(format string, a ...any) bool {
	m.plan = append(m.plan, fmt.Sprintf(format, a...))
	m.res["changed"] = true
	return !m.call.Check
}

func (m *migration) run() error {
	srcDom, onSrc, err := lookup(m.src, m.name)
	if err != nil {
		return err
	}
	dstDom, onDst, err := lookup(m.dst, m.name)
	if err != nil {
		return err
	}
	if !onSrc {
		if !onDst {
			return fmt.Errorf("the guest is defined on neither host")
		}
		// Migrated already (or a run broke off after undefining it here).
		return m.reachState(dstDom)
	}
	srcActive, err := isActive(m.src, srcDom)
	if err != nil {
		return err
	}
	dstActive := false
	if onDst {
		if dstActive, err = isActive(m.dst, dstDom); err != nil {
			return err
		}
	}
	if srcActive && dstActive {
		return fmt.Errorf("the guest runs on both hosts: stop one of them by hand")
	}
	xml, err := m.src.DomainGetXMLDesc(srcDom, golibvirt.DomainXMLInactive|golibvirt.DomainXMLSecure)
	if err != nil {
		return err
	}
	vols, err := guestVolumes(m.src, xml)
	if err != nil {
		return err
	}
	if srcActive && m.step("stop %s on %s (shutdown, destroyed after %ds)", m.name, m.from, m.call.Args.Int("shutdown_timeout")) {
		destroyed, err := stopGuest(m.ctx, m.src, srcDom, time.Duration(m.call.Args.Int("shutdown_timeout"))*time.Second)
		if err != nil {
			return fmt.Errorf("stopping it on %s: %s", m.from, libvirtMsg(err))
		}
		m.res["destroyed"] = destroyed
	}
	// A guest that runs on the target already has its disks there: a run
	// that broke off after starting it must not overwrite them.
	if !dstActive {
		if err := m.copyBases(vols); err != nil {
			return err
		}
		for _, gv := range vols {
			if err := m.copyVolume(gv, false); err != nil {
				return err
			}
		}
	}
	if err := m.define(xml, onDst); err != nil {
		return err
	}
	if dstDom, _, err = lookup(m.dst, m.name); err != nil && !m.call.Check {
		return err
	}
	if err := m.reachState(dstDom); err != nil {
		return err
	}
	if m.step("undefine %s on %s", m.name, m.from) {
		if err := m.src.DomainUndefineFlags(srcDom, golibvirt.DomainUndefineManagedSave|golibvirt.DomainUndefineSnapshotsMetadata|golibvirt.DomainUndefineNvram); err != nil {
			return fmt.Errorf("undefining it on %s: %s", m.from, libvirtMsg(err))
		}
	}
	if m.call.Args.Bool("delete_source") {
		for _, gv := range vols {
			if m.step("delete %s/%s on %s", gv.pool, gv.name, m.from) {
				if err := m.src.StorageVolDelete(gv.vol, 0); err != nil {
					return fmt.Errorf("deleting %s on %s: %s", gv.name, m.from, libvirtMsg(err))
				}
			}
		}
	}
	return nil
}

// define defines the guest on the target with the source's inactive XML,
// unless the same definition is there already.
func (m *migration) define(xml string, onDst bool) error {
	if onDst {
		dom, _, err := lookup(m.dst, m.name)
		if err != nil {
			return err
		}
		have, err := m.dst.DomainGetXMLDesc(dom, golibvirt.DomainXMLInactive|golibvirt.DomainXMLSecure)
		if err != nil {
			return err
		}
		if have == xml {
			return nil
		}
	}
	if !m.step("define %s on %s", m.name, m.to) {
		return nil
	}
	if _, err := m.dst.DomainDefineXML(xml); err != nil {
		return fmt.Errorf("defining it on %s: %s", m.to, libvirtMsg(err))
	}
	return nil
}

// reachState starts the guest on the target for state=running.
func (m *migration) reachState(dom golibvirt.Domain) error {
	if m.call.Args.String("state") != "running" {
		return nil
	}
	// In check mode the guest may not be defined on the target yet: it
	// would be inactive there.
	if !m.call.Check || dom.Name != "" {
		active, err := isActive(m.dst, dom)
		if err != nil || active {
			return err
		}
	}
	if m.step("start %s on %s", m.name, m.to) {
		if err := m.dst.DomainCreate(dom); err != nil {
			return fmt.Errorf("starting it on %s: %s", m.to, libvirtMsg(err))
		}
		m.res["started"] = true
	}
	return nil
}
