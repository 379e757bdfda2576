package virt

import (
	"fmt"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"gorun/engine/libvirt"
)

// overlaySuffix names the temporary overlay a running guest writes to while
// its disks are copied.
const overlaySuffix = ".gorun-backup"

// copyLive copies a running guest's disks consistently: an external
// disk-only snapshot freezes them (the guest writes to temporary overlays
// meanwhile), they are streamed, and a block commit merges each overlay back
// into its disk and pivots the guest onto it again. Read-only disks and
// CD-ROMs are copied as they are.
func (r *backupRun) copyLive(vols []guestVolume, dir string) ([]any, error) {
	var frozen []guestVolume
	var snap strings.Builder
	snap.WriteString("<domainsnapshot><name>gorun-backup</name><disks>")
	for _, gv := range vols {
		if gv.format == "qcow2" || gv.format == "raw" {
			if ro, err := r.readOnlyDisk(gv.target); err != nil {
				return nil, err
			} else if !ro {
				frozen = append(frozen, gv)
				fmt.Fprintf(&snap, "<disk name='%s' snapshot='external'><driver type='qcow2'/><source file='%s'/></disk>", gv.target, xmlEscape(gv.path+overlaySuffix))
				continue
			}
		}
		fmt.Fprintf(&snap, "<disk name='%s' snapshot='no'/>", gv.target)
	}
	snap.WriteString("</disks></domainsnapshot>")
	if len(frozen) > 0 && r.step("snapshot the disks of %s (temporary overlays %s)", r.name, overlaySuffix) {
		flags := golibvirt.DomainSnapshotCreateDiskOnly | golibvirt.DomainSnapshotCreateNoMetadata | golibvirt.DomainSnapshotCreateAtomic
		if r.call.Args.Bool("quiesce") {
			flags |= golibvirt.DomainSnapshotCreateQuiesce
		}
		if _, err := r.lv.DomainSnapshotCreateXML(r.dom, snap.String(), uint32(flags)); err != nil {
			return nil, fmt.Errorf("snapshot: %s", libvirtMsg(err))
		}
	}
	out, err := r.copyAll(vols, dir)
	for _, gv := range frozen {
		if r.step("merge the overlay of %s back into %s", gv.target, gv.name) {
			if cerr := r.commit(gv); cerr != nil && err == nil {
				err = cerr
			}
		}
	}
	return out, err
}

// readOnlyDisk tells whether the guest's disk target is read-only (a CD-ROM
// or a disk marked readonly), from its live XML.
func (r *backupRun) readOnlyDisk(target string) (bool, error) {
	x, err := r.lv.DomainGetXMLDesc(r.dom, 0)
	if err != nil {
		return false, err
	}
	for _, d := range domainDisks(x) {
		if d.Target != nil && d.Target.Dev == target {
			return d.Device == "cdrom" || d.ReadOnly != nil, nil
		}
	}
	return false, nil
}

// commit merges the overlay of gv's disk into it, pivots the guest back onto
// it, and deletes the overlay.
func (r *backupRun) commit(gv guestVolume) error {
	if err := r.lv.DomainBlockCommit(r.dom, gv.target, nil, nil, 0, golibvirt.DomainBlockCommitActive|golibvirt.DomainBlockCommitShallow); err != nil {
		return fmt.Errorf("block commit of %s: %s", gv.target, libvirtMsg(err))
	}
	// The job is ready to pivot once it has caught up; libvirt may still
	// refuse for a moment after cur reaches end (the job's ready state comes
	// from QEMU's event), so the pivot is retried until it is accepted.
	deadline := time.Now().Add(10 * time.Minute)
	for {
		found, _, _, cur, end, err := r.lv.DomainGetBlockJobInfo(r.dom, gv.target, 0)
		if err != nil {
			return fmt.Errorf("block commit of %s: %s", gv.target, libvirtMsg(err))
		}
		if found == 0 {
			// No job (any more): the pivot went through unless the guest
			// still writes to the overlay.
			x, err := r.lv.DomainGetXMLDesc(r.dom, 0)
			if err != nil {
				return err
			}
			if strings.Contains(x, gv.path+overlaySuffix) {
				return fmt.Errorf("the block commit of %s ended without merging %s back", gv.target, gv.path+overlaySuffix)
			}
			break
		}
		if end > 0 && cur == end {
			err := r.lv.DomainBlockJobAbort(r.dom, gv.target, golibvirt.DomainBlockJobAbortPivot)
			if err == nil {
				break
			}
			if !libvirt.HasCode(err, golibvirt.ErrBlockCopyActive) {
				return fmt.Errorf("pivoting %s back onto %s: %s", gv.target, gv.name, libvirtMsg(err))
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("block commit of %s did not finish in 10 minutes", gv.target)
		}
		select {
		case <-r.ctx.Done():
			return r.ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	// The overlay is a file in the pool's directory; the pool learns of it on refresh.
	if pool, err := r.lv.StoragePoolLookupByName(gv.pool); err == nil {
		r.lv.StoragePoolRefresh(pool, 0)
	}
	vol, err := r.lv.StorageVolLookupByPath(gv.path + overlaySuffix)
	if err != nil {
		return fmt.Errorf("the overlay %s: %s", gv.path+overlaySuffix, libvirtMsg(err))
	}
	return r.lv.StorageVolDelete(vol, 0)
}

// xmlEscape escapes a value for an XML attribute in single quotes.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", "'", "&apos;").Replace(s)
}
