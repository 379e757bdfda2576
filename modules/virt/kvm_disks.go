package virt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"gorun/engine/libvirt"
)

// guestVolume is one storage volume a guest's disk uses, with what moving
// or backing it up needs to know.
type guestVolume struct {
	vol      golibvirt.StorageVol
	pool     string // pool name
	name     string // volume name in the pool
	path     string // path on the host
	format   string // raw, qcow2, iso
	capacity uint64
	// backing is the path of the base image a qcow2 overlay refers to, or "".
	backing string
	// target is the guest's device name (vda, sda).
	target string
}

// guestVolumes lists the storage volumes of a domain's disks and CD-ROMs, in
// the order of its XML. Disks that are not libvirt volumes (a file outside
// every pool, a block device, a network disk) are an error naming them: gorun
// copies images through libvirt's storage API.
func guestVolumes(lv *libvirt.Client, domXML string) ([]guestVolume, error) {
	var dom libvirtxml.Domain
	if err := dom.Unmarshal(domXML); err != nil {
		return nil, err
	}
	if dom.Devices == nil {
		return nil, nil
	}
	var out []guestVolume
	for _, d := range dom.Devices.Disks {
		if d.Source == nil {
			continue // an empty CD-ROM drive
		}
		target := ""
		if d.Target != nil {
			target = d.Target.Dev
		}
		var vol golibvirt.StorageVol
		var err error
		switch {
		case d.Source.Volume != nil:
			var p golibvirt.StoragePool
			if p, err = lv.StoragePoolLookupByName(d.Source.Volume.Pool); err == nil {
				vol, err = lv.StorageVolLookupByName(p, d.Source.Volume.Volume)
			}
		case d.Source.File != nil && d.Source.File.File != "":
			vol, err = lv.StorageVolLookupByPath(d.Source.File.File)
		default:
			return nil, fmt.Errorf("disk %s is neither a storage volume nor a file", target)
		}
		if err != nil {
			return nil, fmt.Errorf("disk %s: %s (gorun copies disks that are volumes of a storage pool; refresh the pool if the file is new)", target, libvirtMsg(err))
		}
		gv, err := describeVolume(lv, vol)
		if err != nil {
			return nil, fmt.Errorf("disk %s: %v", target, err)
		}
		gv.target = target
		out = append(out, gv)
	}
	return out, nil
}

// describeVolume reads a volume's pool, path, format, capacity and backing file.
func describeVolume(lv *libvirt.Client, vol golibvirt.StorageVol) (guestVolume, error) {
	x, err := lv.StorageVolGetXMLDesc(vol, 0)
	if err != nil {
		return guestVolume{}, fmt.Errorf("volume %s: %s", vol.Name, libvirtMsg(err))
	}
	var def libvirtxml.StorageVolume
	if err := def.Unmarshal(x); err != nil {
		return guestVolume{}, err
	}
	gv := guestVolume{vol: vol, pool: vol.Pool, name: vol.Name, format: "raw"}
	if def.Target != nil {
		gv.path = def.Target.Path
		if def.Target.Format != nil && def.Target.Format.Type != "" {
			gv.format = def.Target.Format.Type
		}
	}
	if def.Capacity != nil {
		gv.capacity = def.Capacity.Value
	}
	if def.BackingStore != nil {
		gv.backing = def.BackingStore.Path
	}
	return gv, nil
}

// volumeXML is the definition that recreates gv elsewhere: same name,
// capacity and backing file. Only qcow2 keeps its format: the copied bytes
// are the image, and libvirt pads files it creates in formats such as iso to
// whole sectors, which would change the copy.
func (gv guestVolume) volumeXML() (string, error) {
	format := "raw"
	if gv.format == "qcow2" {
		format = "qcow2"
	}
	def := libvirtxml.StorageVolume{
		Name:     gv.name,
		Capacity: &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: gv.capacity},
		Target:   &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: format}},
	}
	if gv.backing != "" {
		def.BackingStore = &libvirtxml.StorageVolumeBackingStore{Path: gv.backing}
	}
	return def.Marshal()
}

// volumeSHA256 reads a volume through libvirt's stream API and hashes it.
func volumeSHA256(lv *libvirt.Client, vol golibvirt.StorageVol) (string, error) {
	h := sha256.New()
	if err := lv.StorageVolDownload(vol, h, 0, 0, 0); err != nil {
		return "", fmt.Errorf("reading %s: %s", vol.Name, libvirtMsg(err))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// streamVolume copies the contents of from (on src) into to (on dst), both
// through libvirt's stream API, without a staging file, and returns the
// SHA-256 of the bytes sent and their number.
func streamVolume(src *libvirt.Client, from golibvirt.StorageVol, dst *libvirt.Client, to golibvirt.StorageVol) (string, int64, error) {
	pr, pw := io.Pipe()
	h := sha256.New()
	counted := &countingWriter{w: io.MultiWriter(pw, h)}
	go func() {
		err := src.StorageVolDownload(from, counted, 0, 0, 0)
		if err != nil {
			err = fmt.Errorf("reading %s: %s", from.Name, libvirtMsg(err))
		}
		pw.CloseWithError(err)
	}()
	if err := dst.StorageVolUpload(to, pr, 0, 0, 0); err != nil {
		pr.CloseWithError(err)
		return "", counted.n, fmt.Errorf("writing %s: %s", to.Name, libvirtMsg(err))
	}
	return hex.EncodeToString(h.Sum(nil)), counted.n, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// stopGuest shuts a running guest down, destroying it when it has not
// stopped after timeout. It reports whether it had to destroy it.
func stopGuest(ctx context.Context, lv *libvirt.Client, dom golibvirt.Domain, timeout time.Duration) (destroyed bool, err error) {
	if err := lv.DomainShutdown(dom); err != nil && !libvirt.HasCode(err, golibvirt.ErrOperationInvalid) {
		return false, err
	}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if active, err := lv.DomainIsActive(dom); err != nil || active == 0 {
			return false, err
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	err = lv.DomainDestroy(dom)
	if libvirt.HasCode(err, golibvirt.ErrOperationInvalid) {
		return false, nil // it stopped meanwhile
	}
	return err == nil, err
}

// isActive reports whether a domain runs (or is paused).
func isActive(lv *libvirt.Client, dom golibvirt.Domain) (bool, error) {
	active, err := lv.DomainIsActive(dom)
	return active != 0, err
}

// domainDisks lists the disk devices of a domain's XML.
func domainDisks(x string) []libvirtxml.DomainDisk {
	var dom libvirtxml.Domain
	if dom.Unmarshal(x) != nil || dom.Devices == nil {
		return nil
	}
	return dom.Devices.Disks
}
