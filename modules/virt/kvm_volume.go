package virt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"gorun/engine/libvirt"
	"gorun/engine/module"
)

// kvmVolume is gorun.kvm.volume: a disk image in a libvirt storage pool,
// created empty, as a copy-on-write overlay of a base image, as a full copy
// of another volume, or from a file on the controller; grown to a size; and
// copied to or from the controller through libvirt's stream API (no scp, no
// shell on the host).
type kvmVolume struct{}

func init() { module.Register(kvmVolume{}) }

func (kvmVolume) Doc() *module.Doc { return kvmVolumeDoc }

// volumeRun is one run of the module.
type volumeRun struct {
	ctx  context.Context
	call *module.Call
	lv   *libvirt.Client
	pool golibvirt.StoragePool
	res  module.Result
}

func (kvmVolume) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	lv, err := openClient(ctx, call, false)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	pool, err := lv.StoragePoolLookupByName(a.String("pool"))
	if err != nil {
		return failf("storage pool %s: %s", a.String("pool"), libvirtMsg(err)), nil
	}
	r := &volumeRun{ctx: ctx, call: call, lv: lv, pool: pool, res: module.Result{"changed": false}}
	if err := r.run(); err != nil {
		return module.Failed(fmt.Sprintf("volume %s in pool %s: %s", a.String("name"), a.String("pool"), libvirtMsg(err))), nil
	}
	return r.res, nil
}

func (r *volumeRun) run() error {
	a := r.call.Args
	name := a.String("name")
	vol, err := r.lv.StorageVolLookupByName(r.pool, name)
	exists := err == nil
	if err != nil && !libvirt.IsNoVolume(err) {
		return err
	}
	if a.String("state") == "absent" {
		if exists {
			r.res["changed"] = true
			if !r.call.Check {
				return r.lv.StorageVolDelete(vol, 0)
			}
		}
		return nil
	}
	if !exists {
		r.res["changed"], r.res["created"] = true, true
		if r.call.Check {
			return nil
		}
		if vol, err = r.create(name); err != nil {
			return err
		}
	} else if a.Bool("force") && a.String("upload") != "" {
		if err := r.upload(vol); err != nil {
			return err
		}
	}
	if err := r.resize(vol, exists); err != nil {
		return err
	}
	if dest := a.String("download"); dest != "" {
		if err := r.download(vol, dest); err != nil {
			return err
		}
	}
	if a.Bool("checksum") && r.res["sha256"] == nil && !(r.call.Check && r.res.Changed()) {
		sum, err := r.checksum(vol)
		if err != nil {
			return err
		}
		r.res["sha256"] = sum
	}
	return r.describe(vol)
}

// create makes the volume as the options say.
func (r *volumeRun) create(name string) (golibvirt.StorageVol, error) {
	a := r.call.Args
	def := libvirtxml.StorageVolume{
		Name:   name,
		Target: &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: a.String("format")}},
	}
	capacity := uint64(a.Int("capacity"))
	var cloneFrom *golibvirt.StorageVol
	switch {
	case a.String("backing") != "":
		base, err := r.findVolume(a.String("backing"))
		if err != nil {
			return golibvirt.StorageVol{}, err
		}
		path, err := r.lv.StorageVolGetPath(base)
		if err != nil {
			return golibvirt.StorageVol{}, err
		}
		baseFormat, baseCap, err := r.volumeFormat(base)
		if err != nil {
			return golibvirt.StorageVol{}, err
		}
		def.BackingStore = &libvirtxml.StorageVolumeBackingStore{Path: path, Format: &libvirtxml.StorageVolumeTargetFormat{Type: baseFormat}}
		if def.Target.Format.Type != "qcow2" {
			return golibvirt.StorageVol{}, fmt.Errorf("a volume with a backing image must be qcow2, not %s", def.Target.Format.Type)
		}
		capacity = max(capacity, baseCap)
	case a.String("clone") != "":
		src, err := r.findVolume(a.String("clone"))
		if err != nil {
			return golibvirt.StorageVol{}, err
		}
		_, srcCap, err := r.volumeFormat(src)
		if err != nil {
			return golibvirt.StorageVol{}, err
		}
		capacity = max(capacity, srcCap)
		cloneFrom = &src
	case a.String("upload") != "":
		fi, err := os.Stat(r.localPath(a.String("upload")))
		if err != nil {
			return golibvirt.StorageVol{}, err
		}
		capacity = max(capacity, uint64(fi.Size()))
	}
	if capacity == 0 {
		return golibvirt.StorageVol{}, fmt.Errorf("capacity is required to create an empty volume")
	}
	def.Capacity = &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: capacity}
	xml, err := def.Marshal()
	if err != nil {
		return golibvirt.StorageVol{}, err
	}
	var vol golibvirt.StorageVol
	if cloneFrom != nil {
		vol, err = r.lv.StorageVolCreateXMLFrom(r.pool, xml, *cloneFrom, 0)
	} else {
		vol, err = r.lv.StorageVolCreateXML(r.pool, xml, 0)
	}
	if err != nil {
		return vol, err
	}
	if a.String("upload") != "" {
		if err := r.upload(vol); err != nil {
			r.lv.StorageVolDelete(vol, 0) // a half-written image must not pass for a good one on the next run
			return vol, err
		}
	}
	return vol, nil
}

// findVolume finds a volume by name in the pool or, for an absolute path, anywhere.
func (r *volumeRun) findVolume(ref string) (golibvirt.StorageVol, error) {
	if filepath.IsAbs(ref) {
		return r.lv.StorageVolLookupByPath(ref)
	}
	return r.lv.StorageVolLookupByName(r.pool, ref)
}

// volumeFormat reads a volume's format and capacity from its XML.
func (r *volumeRun) volumeFormat(vol golibvirt.StorageVol) (string, uint64, error) {
	x, err := r.lv.StorageVolGetXMLDesc(vol, 0)
	if err != nil {
		return "", 0, err
	}
	var def libvirtxml.StorageVolume
	if err := def.Unmarshal(x); err != nil {
		return "", 0, err
	}
	format := "raw"
	if def.Target != nil && def.Target.Format != nil && def.Target.Format.Type != "" {
		format = def.Target.Format.Type
	}
	var capacity uint64
	if def.Capacity != nil {
		capacity = def.Capacity.Value
	}
	return format, capacity, nil
}

// resize grows an existing volume to capacity; shrinking is refused, as it
// would cut off the guest's data.
func (r *volumeRun) resize(vol golibvirt.StorageVol, existed bool) error {
	want := uint64(r.call.Args.Int("capacity"))
	if !existed || want == 0 {
		return nil
	}
	_, capacity, _, err := r.lv.StorageVolGetInfo(vol)
	if err != nil {
		return err
	}
	switch {
	case want < capacity:
		return fmt.Errorf("capacity %d is smaller than the volume's %d bytes: gorun does not shrink volumes", want, capacity)
	case want > capacity:
		r.res["changed"], r.res["resized"] = true, true
		if !r.call.Check {
			return r.lv.StorageVolResize(vol, want, 0)
		}
	}
	return nil
}

// upload streams the controller file named by the upload option into vol.
func (r *volumeRun) upload(vol golibvirt.StorageVol) error {
	path := r.localPath(r.call.Args.String("upload"))
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	r.res["changed"], r.res["uploaded"] = true, fi.Size()
	if r.call.Check {
		return nil
	}
	if err := r.lv.StorageVolUpload(vol, f, 0, uint64(fi.Size()), 0); err != nil {
		return fmt.Errorf("uploading %s: %v", path, libvirtMsg(err))
	}
	return nil
}

// download streams vol into the controller file dest, unless dest exists
// (force replaces it). The file appears whole or not at all.
func (r *volumeRun) download(vol golibvirt.StorageVol, dest string) error {
	if _, err := os.Stat(dest); err == nil && !r.call.Args.Bool("force") {
		return nil
	}
	r.res["changed"], r.res["downloaded"] = true, dest
	if r.call.Check {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), ".gorun-download-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	if err := r.lv.StorageVolDownload(vol, io.MultiWriter(tmp, h), 0, 0, 0); err != nil {
		tmp.Close()
		return fmt.Errorf("downloading to %s: %v", dest, libvirtMsg(err))
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	r.res["sha256"] = hex.EncodeToString(h.Sum(nil))
	return os.Rename(tmp.Name(), dest)
}

// checksum is the SHA-256 of the volume's contents, streamed from the host
// (to verify a copy without trusting either end's tools).
func (r *volumeRun) checksum(vol golibvirt.StorageVol) (string, error) {
	h := sha256.New()
	if err := r.lv.StorageVolDownload(vol, h, 0, 0, 0); err != nil {
		return "", fmt.Errorf("reading the volume for its checksum: %v", libvirtMsg(err))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// localPath finds a controller file as Ansible finds a copy src.
func (r *volumeRun) localPath(p string) string {
	if filepath.IsAbs(p) || r.call.Files == nil {
		return p
	}
	if found, err := r.call.Files.Find("files", p); err == nil {
		return found
	}
	return p
}

// describe adds the volume's facts to the result.
func (r *volumeRun) describe(vol golibvirt.StorageVol) error {
	format, capacity, err := r.volumeFormat(vol)
	if err != nil {
		return err
	}
	_, _, allocation, err := r.lv.StorageVolGetInfo(vol)
	if err != nil {
		return err
	}
	path, err := r.lv.StorageVolGetPath(vol)
	if err != nil {
		return err
	}
	r.res["path"], r.res["key"], r.res["format"] = path, vol.Key, format
	r.res["capacity"], r.res["allocation"] = int(capacity), int(allocation)
	return nil
}
