package virt

import (
	"fmt"
	"path/filepath"

	"gorun/engine/libvirt"
)

// copyBases copies the base images the guest's overlays refer to, deepest
// first, when the target has no volume at their path. An overlay stores its
// base's absolute path, so the base must land at the same path: the target's
// pool of the same name must keep its volumes in the same directory.
func (m *migration) copyBases(vols []guestVolume) error {
	var bases []guestVolume
	seen := map[string]bool{}
	for _, gv := range vols {
		for path := gv.backing; path != "" && !seen[path]; {
			seen[path] = true
			vol, err := m.src.StorageVolLookupByPath(path)
			if err != nil {
				return fmt.Errorf("base image %s of %s on %s: %s", path, gv.name, m.from, libvirtMsg(err))
			}
			base, err := describeVolume(m.src, vol)
			if err != nil {
				return err
			}
			bases = append([]guestVolume{base}, bases...)
			path = base.backing
		}
	}
	for _, base := range bases {
		if _, err := m.dst.StorageVolLookupByPath(base.path); err == nil {
			continue
		} else if !libvirt.IsNoVolume(err) {
			return err
		}
		if !m.call.Args.Bool("copy_backing") {
			return fmt.Errorf("base image %s is missing on %s (copy_backing=false)", base.path, m.to)
		}
		if err := m.copyVolume(base, true); err != nil {
			return err
		}
	}
	return nil
}

// copyVolume makes the target's volume of the same pool and name an exact
// copy of gv: it creates it when missing, streams the contents when they
// differ (a copy left by a broken-off run is compared, not trusted), and
// checks that what the target then holds has the SHA-256 of what was sent. samePath requires the
// copy to have gv's path (a base image, which overlays name by path).
func (m *migration) copyVolume(gv guestVolume, samePath bool) error {
	entry := map[string]any{"pool": gv.pool, "name": gv.name, "format": gv.format, "capacity": int(gv.capacity)}
	m.copiedVols = append(m.copiedVols, entry)
	pool, err := m.dst.StoragePoolLookupByName(gv.pool)
	if err != nil {
		return fmt.Errorf("storage pool %s on %s: %s (create it there first, e.g. with virt_pool)", gv.pool, m.to, libvirtMsg(err))
	}
	vol, err := m.dst.StorageVolLookupByName(pool, gv.name)
	exists := err == nil
	if err != nil && !libvirt.IsNoVolume(err) {
		return err
	}
	srcSum := ""
	if exists {
		have, err := describeVolume(m.dst, vol)
		if err != nil {
			return err
		}
		if have.capacity == gv.capacity {
			if srcSum, err = volumeSHA256(m.src, gv.vol); err != nil {
				return err
			}
			entry["sha256"] = srcSum
			sum, err := volumeSHA256(m.dst, vol)
			if err != nil {
				return err
			}
			if sum == srcSum {
				entry["copied"] = false
				return nil // copied by an earlier run
			}
		}
	}
	entry["copied"] = true
	if !m.step("copy %s/%s (%d bytes, %s) from %s to %s", gv.pool, gv.name, gv.capacity, gv.format, m.from, m.to) {
		return nil
	}
	if exists {
		if err := m.dst.StorageVolDelete(vol, 0); err != nil {
			return fmt.Errorf("replacing the partial copy of %s on %s: %s", gv.name, m.to, libvirtMsg(err))
		}
	}
	xml, err := gv.volumeXML()
	if err != nil {
		return err
	}
	if vol, err = m.dst.StorageVolCreateXML(pool, xml, 0); err != nil {
		return fmt.Errorf("creating %s on %s: %s", gv.name, m.to, libvirtMsg(err))
	}
	if path, err := m.dst.StorageVolGetPath(vol); err != nil {
		return err
	} else if samePath && path != gv.path {
		m.dst.StorageVolDelete(vol, 0)
		return fmt.Errorf("base image %s would be %s on %s: overlays name their base by path, so pool %s must keep its volumes in %s there too",
			gv.name, path, m.to, gv.pool, filepath.Dir(gv.path))
	}
	sent, n, err := streamVolume(m.src, gv.vol, m.dst, vol)
	if err != nil {
		return err
	}
	entry["bytes"], entry["sha256"] = n, sent
	got, err := volumeSHA256(m.dst, vol)
	if err != nil {
		return err
	}
	if got != sent || (srcSum != "" && sent != srcSum) {
		return fmt.Errorf("the copy of %s on %s has SHA-256 %s, the source %s", gv.name, m.to, got, sent)
	}
	return nil
}
