package virt

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
)

// restore writes a backup's volumes back into the guest's volumes of the
// same names: it checks every file against SHA256SUMS first, stops the
// guest if it runs, recreates each volume whose contents differ, verifies
// it through libvirt, and starts the guest again if it ran.
func (r *backupRun) restore() error {
	stamp := r.call.Args.String("stamp")
	if stamp == "" {
		all, err := r.stamps()
		if err != nil {
			return err
		}
		if len(all) == 0 {
			return fmt.Errorf("no backup in %s", r.guestDir())
		}
		stamp = all[len(all)-1]
	}
	dir := filepath.Join(r.guestDir(), stamp)
	r.res["stamp"], r.res["path"] = stamp, dir
	sums, err := readSums(dir)
	if err != nil {
		return err
	}
	for _, s := range sums {
		got, err := fileSHA256(filepath.Join(dir, s[1]))
		if err != nil {
			return err
		}
		if got != s[0] {
			return fmt.Errorf("%s has SHA-256 %s, %s says %s: the backup is damaged", filepath.Join(dir, s[1]), got, sumsFile, s[0])
		}
	}
	xml, err := r.lv.DomainGetXMLDesc(r.dom, golibvirt.DomainXMLInactive|golibvirt.DomainXMLSecure)
	if err != nil {
		return err
	}
	vols, err := guestVolumes(r.lv, xml)
	if err != nil {
		return err
	}
	byName := map[string]guestVolume{}
	for _, gv := range vols {
		byName[gv.name] = gv
	}
	var stale []guestVolume
	var restored []any
	for _, s := range sums {
		gv, ok := byName[s[1]]
		if !ok {
			return fmt.Errorf("the backup has %s, which is not a volume of the guest now", s[1])
		}
		have, err := volumeSHA256(r.lv, gv.vol)
		if err != nil {
			return err
		}
		if have != s[0] {
			stale = append(stale, gv)
			restored = append(restored, gv.name)
		}
	}
	r.res["restored"] = restored
	if len(stale) == 0 {
		return nil
	}
	running, err := isActive(r.lv, r.dom)
	if err != nil {
		return err
	}
	if running && r.step("stop %s (shutdown, destroyed after %ds)", r.name, r.call.Args.Int("shutdown_timeout")) {
		if _, err := stopGuest(r.ctx, r.lv, r.dom, time.Duration(r.call.Args.Int("shutdown_timeout"))*time.Second); err != nil {
			return err
		}
	}
	for _, gv := range stale {
		if r.step("restore %s/%s from %s", gv.pool, gv.name, dir) {
			if err := r.restoreVolume(gv, filepath.Join(dir, gv.name), sumFor(sums, gv.name)); err != nil {
				return err
			}
		}
	}
	if running && r.step("start %s again", r.name) {
		if err := r.lv.DomainCreate(r.dom); err != nil {
			return fmt.Errorf("starting it again: %s", libvirtMsg(err))
		}
	}
	return nil
}

// restoreVolume recreates gv (same name, capacity, format and base image)
// with the contents of file, and checks that libvirt reads back want.
func (r *backupRun) restoreVolume(gv guestVolume, file, want string) error {
	pool, err := r.lv.StoragePoolLookupByName(gv.pool)
	if err != nil {
		return err
	}
	def, err := gv.volumeXML()
	if err != nil {
		return err
	}
	if err := r.lv.StorageVolDelete(gv.vol, 0); err != nil {
		return fmt.Errorf("replacing %s: %s", gv.name, libvirtMsg(err))
	}
	vol, err := r.lv.StorageVolCreateXML(pool, def, 0)
	if err != nil {
		return fmt.Errorf("recreating %s: %s", gv.name, libvirtMsg(err))
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := r.lv.StorageVolUpload(vol, f, 0, 0, 0); err != nil {
		return fmt.Errorf("writing %s: %s", gv.name, libvirtMsg(err))
	}
	got, err := volumeSHA256(r.lv, vol)
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("%s reads back with SHA-256 %s, not %s", gv.name, got, want)
	}
	return nil
}

// readSums reads a backup's SHA256SUMS: pairs of checksum and file name.
func readSums(dir string) ([][2]string, error) {
	f, err := os.Open(filepath.Join(dir, sumsFile))
	if err != nil {
		return nil, fmt.Errorf("no finished backup in %s: %v", dir, err)
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || strings.ContainsAny(name, "/") {
			return nil, fmt.Errorf("%s: malformed line %q", filepath.Join(dir, sumsFile), sc.Text())
		}
		out = append(out, [2]string{sum, name})
	}
	return out, sc.Err()
}

func sumFor(sums [][2]string, name string) string {
	for _, s := range sums {
		if s[1] == name {
			return s[0]
		}
	}
	return ""
}

// fileSHA256 hashes a controller file.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
