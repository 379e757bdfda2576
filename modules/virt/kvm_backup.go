package virt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// kvmBackup is gorun.kvm.backup: a consistent copy of a guest's volumes,
// streamed from its KVM host through libvirt's stream API into a directory
// on the controller (a NAS mount, say), with retention; and the restore of
// such a copy.
type kvmBackup struct{}

func init() { module.Register(kvmBackup{}) }

func (kvmBackup) Doc() *module.Doc { return kvmBackupDoc }

// sumsFile lists a backup's files with their SHA-256, in sha256sum's format.
const sumsFile = "SHA256SUMS"

// backupRun is one run of gorun.kvm.backup.
type backupRun struct {
	ctx  context.Context
	call *module.Call
	lv   *libvirt.Client
	name string
	dom  golibvirt.Domain
	res  module.Result
	plan []any
}

func (kvmBackup) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	lv, err := openClient(ctx, call, false)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	r := &backupRun{ctx: ctx, call: call, lv: lv, name: call.Args.String("name"), res: module.Result{"changed": false}}
	dom, err := lv.DomainLookupByName(r.name)
	if err != nil {
		return failf("guest %s: %s", r.name, libvirtMsg(err)), nil
	}
	r.dom = dom
	if call.Args.String("state") == "restored" {
		err = r.restore()
	} else {
		err = r.backup()
	}
	if err != nil {
		r.res["failed"], r.res["msg"] = true, fmt.Sprintf("%s of %s: %v", map[bool]string{true: "restore", false: "backup"}[call.Args.String("state") == "restored"], r.name, err)
	}
	r.res["plan"] = r.plan
	return r.res, nil
}

// step records a step of the plan; in check mode nothing else happens.
func (r *backupRun) step(format string, a ...any) bool {
	r.plan = append(r.plan, fmt.Sprintf(format, a...))
	r.res["changed"] = true
	return !r.call.Check
}

// guestDir is where the guest's backups go: DEST/NAME.
func (r *backupRun) guestDir() string { return filepath.Join(r.call.Args.String("dest"), r.name) }

func (r *backupRun) backup() error {
	stamp := r.call.Args.String("stamp")
	if stamp == "" {
		stamp = time.Now().UTC().Format("20060102T150405Z")
	}
	dir := filepath.Join(r.guestDir(), stamp)
	r.res["stamp"], r.res["path"] = stamp, dir
	if _, err := os.Stat(filepath.Join(dir, sumsFile)); err == nil {
		// A finished backup of that stamp: a rerun keeps it.
		return r.prune()
	}
	xml, err := r.lv.DomainGetXMLDesc(r.dom, golibvirt.DomainXMLInactive|golibvirt.DomainXMLSecure)
	if err != nil {
		return err
	}
	vols, err := guestVolumes(r.lv, xml)
	if err != nil {
		return err
	}
	running, err := isActive(r.lv, r.dom)
	if err != nil {
		return err
	}
	mode := r.call.Args.String("mode")
	if mode == "auto" {
		mode = map[bool]string{true: "snapshot", false: "stop"}[running]
	}
	r.res["mode"] = mode
	partial := dir + ".partial"
	if r.step("copy the volumes of %s to %s (%s)", r.name, dir, mode) {
		if err := os.MkdirAll(partial, 0o755); err != nil {
			return err
		}
	}
	var copied []any
	switch {
	case running && mode == "snapshot":
		copied, err = r.copyLive(vols, partial)
	case running:
		copied, err = r.copyStopped(vols, partial)
	default:
		copied, err = r.copyAll(vols, partial)
	}
	r.res["volumes"] = copied
	if err != nil || r.call.Check {
		return err
	}
	if err := os.WriteFile(filepath.Join(partial, "domain.xml"), []byte(xml), 0o644); err != nil {
		return err
	}
	if err := writeSums(partial, copied); err != nil {
		return err
	}
	if err := os.Rename(partial, dir); err != nil {
		return err
	}
	return r.prune()
}

// copyAll streams every volume into dir.
func (r *backupRun) copyAll(vols []guestVolume, dir string) ([]any, error) {
	var out []any
	for _, gv := range vols {
		e, err := r.download(gv.vol, gv, dir)
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

// copyStopped shuts the guest down for the copy and starts it again.
func (r *backupRun) copyStopped(vols []guestVolume, dir string) ([]any, error) {
	if r.step("stop %s (shutdown, destroyed after %ds)", r.name, r.call.Args.Int("shutdown_timeout")) {
		destroyed, err := stopGuest(r.ctx, r.lv, r.dom, time.Duration(r.call.Args.Int("shutdown_timeout"))*time.Second)
		if err != nil {
			return nil, err
		}
		r.res["destroyed"] = destroyed
	}
	out, err := r.copyAll(vols, dir)
	if r.step("start %s again", r.name) {
		if serr := r.lv.DomainCreate(r.dom); serr != nil && err == nil {
			err = fmt.Errorf("starting it again: %s", libvirtMsg(serr))
		}
	}
	return out, err
}

// download streams vol into dir/NAME, hashing it, and returns its entry.
func (r *backupRun) download(vol golibvirt.StorageVol, gv guestVolume, dir string) (map[string]any, error) {
	e := map[string]any{"pool": gv.pool, "name": gv.name, "target": gv.target, "format": gv.format}
	if r.call.Check {
		return e, nil
	}
	f, err := os.Create(filepath.Join(dir, gv.name))
	if err != nil {
		return e, err
	}
	defer f.Close()
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(f, h)}
	if err := r.lv.StorageVolDownload(vol, cw, 0, 0, 0); err != nil {
		return e, fmt.Errorf("reading %s: %s", gv.name, libvirtMsg(err))
	}
	e["sha256"], e["bytes"] = hex.EncodeToString(h.Sum(nil)), cw.n
	return e, f.Close()
}

// writeSums writes SHA256SUMS for the copied volumes.
func writeSums(dir string, copied []any) error {
	var b strings.Builder
	for _, c := range copied {
		e := c.(map[string]any)
		fmt.Fprintf(&b, "%s  %s\n", e["sha256"], e["name"])
	}
	return os.WriteFile(filepath.Join(dir, sumsFile), []byte(b.String()), 0o644)
}

// stamps lists the guest's finished backups, oldest first (stamps sort by time).
func (r *backupRun) stamps() ([]string, error) {
	entries, err := os.ReadDir(r.guestDir())
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(r.guestDir(), e.Name(), sumsFile)); err == nil && e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// prune deletes the oldest finished backups beyond keep.
func (r *backupRun) prune() error {
	keep := r.call.Args.Int("keep")
	if keep <= 0 {
		return nil
	}
	all, err := r.stamps()
	if err != nil {
		return err
	}
	var removed []any
	for len(all) > keep {
		old := all[0]
		all = all[1:]
		removed = append(removed, old)
		if r.step("remove the old backup %s", filepath.Join(r.guestDir(), old)) {
			if err := os.RemoveAll(filepath.Join(r.guestDir(), old)); err != nil {
				return err
			}
		}
	}
	r.res["removed"] = removed
	return nil
}
