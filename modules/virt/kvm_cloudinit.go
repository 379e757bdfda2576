package virt

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"gorun/engine/libvirt"
	"gorun/engine/module"
	"gorun/modules/virt/internal/seed"
)

// kvmCloudinit is gorun.kvm.cloudinit: a cloud-init NoCloud seed image,
// built in Go from playbook variables and stored as a volume in a pool, for
// a guest's CD-ROM.
type kvmCloudinit struct{}

func init() { module.Register(kvmCloudinit{}) }

func (kvmCloudinit) Doc() *module.Doc { return kvmCloudinitDoc }

func (kvmCloudinit) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	files, err := seedFiles(a)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	lv, err := openClient(ctx, call, false)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	pool, err := lv.StoragePoolLookupByName(a.String("pool"))
	if err != nil {
		return failf("storage pool %s: %s", a.String("pool"), libvirtMsg(err)), nil
	}
	res, err := syncSeed(lv, pool, call, files)
	if err != nil {
		return failf("cloud-init seed %s in pool %s: %s", a.String("name"), a.String("pool"), libvirtMsg(err)), nil
	}
	return res, nil
}

// seedFiles renders user-data, meta-data and network-config from the options.
func seedFiles(a module.Args) (map[string][]byte, error) {
	files := map[string][]byte{}
	ud, err := seedDocument(a["user_data"], "#cloud-config\n")
	if err != nil {
		return nil, fmt.Errorf("user_data: %v", err)
	}
	files["user-data"] = []byte(ud)

	meta := map[string]any{}
	var order []string
	if m := a["meta_data"]; m != nil {
		if s, ok := m.(string); ok {
			files["meta-data"] = []byte(s)
		} else {
			md, ok := toMap(m)
			if !ok {
				return nil, fmt.Errorf("meta_data must be a mapping or a string")
			}
			meta = md
		}
	}
	if files["meta-data"] == nil {
		id := a.String("instance_id")
		if id == "" {
			id = a.String("hostname")
		}
		if id == "" {
			id = strings.TrimSuffix(a.String("name"), ".iso")
		}
		if _, ok := meta["instance-id"]; !ok {
			meta["instance-id"] = id
			order = append(order, "instance-id")
		}
		if h := a.String("hostname"); h != "" {
			if _, ok := meta["local-hostname"]; !ok {
				meta["local-hostname"] = h
				order = append(order, "local-hostname")
			}
		}
		// Given keys first, in their order; then the ones gorun adds.
		d := orderedMeta(a["meta_data"], meta, order)
		md, err := yamlText(d)
		if err != nil {
			return nil, fmt.Errorf("meta_data: %v", err)
		}
		files["meta-data"] = []byte(md)
	}
	if nc := a["network_config"]; nc != nil {
		text, err := seedDocument(nc, "")
		if err != nil {
			return nil, fmt.Errorf("network_config: %v", err)
		}
		files["network-config"] = []byte(text)
	}
	return files, nil
}

// seedDocument is a string as given, or a mapping as YAML after header.
func seedDocument(v any, header string) (string, error) {
	switch t := v.(type) {
	case nil:
		return header, nil
	case string:
		return t, nil
	}
	text, err := yamlText(v)
	return header + text, err
}

// syncSeed makes the volume hold exactly files, replacing it when it differs.
func syncSeed(lv *libvirt.Client, pool golibvirt.StoragePool, call *module.Call, files map[string][]byte) (module.Result, error) {
	a := call.Args
	name := a.String("name")
	res := module.Result{"changed": false}
	vol, err := lv.StorageVolLookupByName(pool, name)
	exists := err == nil
	if err != nil && !libvirt.IsNoVolume(err) {
		return nil, err
	}
	if a.String("state") == "absent" {
		if exists {
			res["changed"] = true
			if !call.Check {
				return res, lv.StorageVolDelete(vol, 0)
			}
		}
		return res, nil
	}
	var before map[string][]byte
	if exists {
		var buf bytes.Buffer
		if err := lv.StorageVolDownload(vol, &buf, 0, 0, 0); err != nil {
			return nil, err
		}
		if _, before, err = seed.Read(buf.Bytes()); err != nil {
			before = nil // not a seed image: replace it
		}
		if sameFiles(before, files) {
			return describeSeed(lv, vol, res, files)
		}
	}
	res["changed"] = true
	if call.Diff {
		res["diff"] = map[string]any{"before": seedListing(before), "after": seedListing(files),
			"before_header": "seed " + name + " (before)", "after_header": "seed " + name + " (after)"}
	}
	if call.Check {
		return res, nil
	}
	img, err := seed.Build(files)
	if err != nil {
		return nil, err
	}
	if exists {
		if err := lv.StorageVolDelete(vol, 0); err != nil {
			return nil, err
		}
	}
	def := libvirtxml.StorageVolume{Name: name, Capacity: &libvirtxml.StorageVolumeSize{Unit: "bytes", Value: uint64(len(img))},
		Target: &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "raw"}}}
	x, err := def.Marshal()
	if err != nil {
		return nil, err
	}
	if vol, err = lv.StorageVolCreateXML(pool, x, 0); err != nil {
		return nil, err
	}
	if err := lv.StorageVolUpload(vol, bytes.NewReader(img), 0, uint64(len(img)), 0); err != nil {
		lv.StorageVolDelete(vol, 0)
		return nil, err
	}
	return describeSeed(lv, vol, res, files)
}

func describeSeed(lv *libvirt.Client, vol golibvirt.StorageVol, res module.Result, files map[string][]byte) (module.Result, error) {
	path, err := lv.StorageVolGetPath(vol)
	if err != nil {
		return nil, err
	}
	res["path"] = path
	var names []any
	for _, n := range sortedKeys(files) {
		names = append(names, n)
	}
	res["files"] = names
	return res, nil
}

func sameFiles(a, b map[string][]byte) bool {
	if a == nil || len(a) != len(b) {
		return false
	}
	for k, v := range b {
		if !bytes.Equal(a[k], v) {
			return false
		}
	}
	return true
}

// seedListing shows the files of a seed as one text, for diffs.
func seedListing(files map[string][]byte) string {
	var b strings.Builder
	for _, n := range sortedKeys(files) {
		fmt.Fprintf(&b, "# %s\n%s", n, files[n])
		if !bytes.HasSuffix(files[n], []byte("\n")) {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func sortedKeys(m map[string][]byte) []string {
	var keys []string
	for _, k := range []string{"meta-data", "network-config", "user-data"} {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	return keys
}
