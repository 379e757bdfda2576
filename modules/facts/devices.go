package facts

import (
	"fmt"
	"gorun/engine/value"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// deviceFacts is LinuxHardware.get_device_facts: ansible_devices and
// ansible_device_links from /sys/block and /dev/disk/by-*.
func deviceFacts(r *raw, f map[string]any) {
	blocks := r.blockOrder
	if !r.hasBlocks {
		f["devices"] = map[string]any{}
		return
	}
	links := map[string]map[string][]string{
		"ids":     linkDir(r, "/dev/disk/by-id"),
		"uuids":   linkDir(r, "/dev/disk/by-uuid"),
		"labels":  linkDir(r, "/dev/disk/by-label"),
		"masters": masters(r),
	}
	devLinks := map[string]any{}
	for kind, m := range links {
		d := map[string]any{}
		for target, entries := range m {
			d[target] = value.FromStrings(entries)
		}
		devLinks[kind] = d
	}
	f["device_links"] = devLinks
	linksOf := func(name string) map[string]any {
		out := map[string]any{}
		for kind, m := range links {
			out[kind] = value.FromStrings(m[name])
			if m[name] == nil {
				out[kind] = []any{}
			}
		}
		return out
	}
	wwn := map[string]string{}
	for target, entries := range links["ids"] {
		for _, e := range entries {
			if strings.HasPrefix(e, "wwn-") {
				wwn[target] = e[4:]
			}
		}
	}
	pcidata, _ := r.cmd("lspci")
	blockLinks := lsLinks(r, "blocklinks")

	devices := map[string]any{}
	for _, block := range blocks {
		base := "/sys/block/" + block
		link := blockLinks[block]
		sysdir := base
		if link != "" {
			sysdir = "/sys/block/" + link // os.path.join keeps the ".."
		}
		// The entries of the device's directory, listed by path (an older
		// facts.sh listed names).
		var entries []string
		for _, e := range lines(r.other["blockdir "+block]) {
			entries = append(entries, path.Base(e))
		}
		virtual := 1
		if link == "" {
			for _, e := range entries {
				if strings.Contains(e, "device") {
					virtual = 0
					break
				}
			}
		}
		content := func(rel string) any {
			if s, ok := r.file(base + rel); ok {
				return s
			}
			return nil
		}
		d := map[string]any{"virtual": virtual, "links": linksOf(block)}
		for _, k := range []string{"vendor", "model", "sas_address", "sas_device_handle"} {
			d[k] = content("/device/" + k)
		}
		if s, ok := r.file(base + "/device/serial"); ok && s != "" {
			d["serial"] = s
		}
		d["removable"] = content("/removable")
		d["support_discard"] = content("/queue/discard_granularity")
		if w, ok := wwn[block]; ok {
			d["wwn"] = w
		}
		parts := map[string]any{}
		rePart := regexp.MustCompile("(" + block + `[p]?\d+)`)
		for _, e := range entries {
			m := rePart.FindStringSubmatch(e)
			if m == nil {
				continue
			}
			name := m[1]
			pdir := base + "/" + name
			part := map[string]any{"links": linksOf(name)}
			part["start"] = fileOr(r, pdir+"/start", 0)
			part["sectors"] = fileOr(r, pdir+"/size", 0)
			part["sectorsize"] = sectorSize(r, pdir)
			part["size"] = bytesToHuman(toFloat(part["sectors"]) * 512)
			part["uuid"] = partitionUUID(links["uuids"], name)
			part["holders"] = holders(r, pdir)
			parts[name] = part
		}
		d["partitions"] = parts
		d["rotational"] = content("/queue/rotational")
		d["scheduler_mode"] = ""
		if s, ok := content("/queue/scheduler").(string); ok {
			if m := reScheduler.FindStringSubmatch(s); m != nil {
				d["scheduler_mode"] = m[2]
			}
		}
		d["sectors"] = content("/size")
		if s, _ := d["sectors"].(string); s == "" {
			d["sectors"] = 0
		}
		d["sectorsize"] = sectorSize(r, base)
		d["size"] = bytesToHuman(toFloat(d["sectors"]) * 512)
		d["host"] = ""
		if m := rePCIID.FindStringSubmatch(sysdir); m != nil && pcidata != "" {
			if h := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(m[1]) + `\s(.*)$`).FindStringSubmatch(pcidata); h != nil {
				d["host"] = h[1]
			}
		}
		d["holders"] = holders(r, base)
		devices[block] = d
	}
	f["devices"] = devices
}

var (
	reScheduler = regexp.MustCompile(`^.*?(\[(.*)\])`)
	rePCIID     = regexp.MustCompile(`^.+/([a-f0-9]{4}:[a-f0-9]{2}:[0|1][a-f0-9]\.[0-7])/`)
)

// sectorSize is logical_block_size, else hw_sector_size, else 512.
func sectorSize(r *raw, dir string) any {
	if s, ok := r.file(dir + "/queue/logical_block_size"); ok && s != "" {
		return s
	}
	return fileOr(r, dir+"/queue/hw_sector_size", 512)
}

// fileOr is get_file_content(path, default).
func fileOr(r *raw, p string, def any) any {
	if s, ok := r.file(p); ok {
		return s
	}
	return def
}

func toFloat(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case string:
		f, _ := strconv.ParseFloat(n, 64)
		return f
	}
	return 0
}

// holders is get_holders: the dm devices holding dir, by their dm name.
func holders(r *raw, dir string) []any {
	out := []any{}
	for _, h := range r.holderOrder {
		parent, name, _ := cutLast(h, "/")
		if parent != dir+"/holders" || !strings.HasPrefix(name, "dm-") {
			continue
		}
		if dm, _ := r.file(h + "/dm/name"); dm != "" {
			out = append(out, dm)
		} else {
			out = append(out, name)
		}
	}
	return out
}

// lsLinks reads the symbolic links of an `ls -l` listing: name -> target.
func lsLinks(r *raw, cmd string) map[string]string {
	out := map[string]string{}
	listing, _ := r.cmd(cmd)
	for _, line := range lines(listing) {
		left, target, ok := strings.Cut(line, " -> ")
		if !ok || !strings.HasPrefix(line, "l") {
			continue
		}
		fields := strings.Fields(left)
		out[fields[len(fields)-1]] = target
	}
	return out
}

// linkDir is get_device_links: link target basename -> sorted link names.
func linkDir(r *raw, dir string) map[string][]string {
	out := map[string][]string{}
	for entry, target := range lsLinks(r, "linkdir "+dir) {
		t := path.Base(target)
		out[t] = append(out[t], entry)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// masters is get_all_device_owners: slave device -> the devices built on it.
func masters(r *raw) map[string][]string {
	out := map[string][]string{}
	for _, p := range lines(r.other["masters"]) {
		el := strings.Split(p, "/")
		if len(el) > 5 {
			out[el[5]] = append(out[el[5]], el[3])
		}
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// partitionUUID is get_partition_uuid: the by-uuid link pointing at the partition.
func partitionUUID(uuids map[string][]string, part string) any {
	if u := uuids[part]; len(u) > 0 {
		return u[0]
	}
	return nil
}

// bytesToHuman is module_utils/common/text/formatters.bytes_to_human.
func bytesToHuman(size float64) string {
	units := []struct {
		suffix string
		limit  float64
	}{{"Y", 1 << 80}, {"Z", 1 << 70}, {"E", 1 << 60}, {"P", 1 << 50}, {"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	for _, u := range units {
		if size >= u.limit || u.limit == 1 {
			if u.limit == 1 {
				return fmt.Sprintf("%.2f Bytes", size)
			}
			return fmt.Sprintf("%.2f %sB", size/u.limit, u.suffix)
		}
	}
	return ""
}
