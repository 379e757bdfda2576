package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// lvgModule is community.general.lvg, a port of lvg.py: it creates,
// extends, reduces and removes LVM volume groups with pvcreate, vgcreate,
// vgextend, vgreduce and vgremove, and grows physical volumes with pvresize.
type lvgModule struct{}

func init() { module.Register(lvgModule{}) }

func (lvgModule) Doc() *module.Doc { return lvgDoc }

// vgInfo is a line of vgs: name, number of PVs and of LVs.
type vgInfo struct {
	name             string
	pvCount, lvCount int
}

// pvInfo is a line of pvs: the PV and its VG ("" when it has none).
type pvInfo struct{ name, vgName string }

func (lvgModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call, nil)
	return remotecmd.Finish(nil, lvg(t, call))
}

// lvg is lvg.py's main.
func lvg(t *target, call *module.Call) error {
	a := call.Args
	vg, state := a.String("vg"), a.String("state")
	force, pvresize := a.Bool("force"), a.Bool("pvresize")
	pesize := a.String("pesize")
	pvOptions := strings.Fields(a.String("pv_options"))
	vgOptions := strings.Fields(a.String("vg_options"))

	given := a.Strings("pvs")
	if len(given) == 0 && state == "present" {
		return remotecmd.Fail("No physical volumes given.")
	}
	if err := t.lookup("pvs", "vgs", "pvcreate", "vgcreate", "vgremove", "vgextend", "vgreduce", "pvresize", "pvdisplay", "dmsetup"); err != nil {
		return err
	}
	// LVM always uses real paths, not symlinks.
	devs, exist, err := t.realpaths(given)
	if err != nil {
		return err
	}

	var pvs []pvInfo
	if state == "present" {
		for i, d := range devs {
			if !exist[i] {
				return remotecmd.Fail(fmt.Sprintf("Device %s not found.", d))
			}
		}
		pvsCmd, err := t.bin("pvs")
		if err != nil {
			return err
		}
		filter := ""
		if len(devs) > 0 {
			var names []string
			for _, d := range append(append([]string{}, devs...), given...) {
				names = append(names, "pv_name = "+d)
			}
			filter = fmt.Sprintf("--select '%s || vg_name = %s' ", strings.Join(names, " || "), vg)
		}
		o, err := t.runLine(fmt.Sprintf("%s --noheadings -o pv_name,vg_name --separator ';' %s", pvsCmd, filter))
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return remotecmd.Fail("Failed executing pvs command.", "rc", o.RC, "err", o.Stderr)
		}
		if pvs, err = parsePVs(t, o.Stdout); err != nil {
			return err
		}
		for _, pv := range pvs {
			if contains(devs, pv.name) && pv.vgName != "" && pv.vgName != vg {
				return remotecmd.Fail(fmt.Sprintf("Device %s is already in %s volume group.", pv.name, pv.vgName))
			}
		}
	}

	vgsCmd, err := t.bin("vgs")
	if err != nil {
		return err
	}
	o, err := t.runLine(vgsCmd + " --noheadings -o vg_name,pv_count,lv_count --separator ';'")
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return remotecmd.Fail("Failed executing vgs command.", "rc", o.RC, "err", o.Stderr)
	}
	vgs, err := parseVGs(o.Stdout)
	if err != nil {
		return err
	}
	var this *vgInfo
	for i := range vgs {
		if vgs[i].name == vg {
			this = &vgs[i]
			break
		}
	}

	changed := false
	if this == nil {
		if state == "present" {
			if call.Check {
				changed = true
			} else {
				if err := createPVs(t, pvOptions, devs); err != nil {
					return err
				}
				// lvg.py looks vgcreate up without required=True.
				argv := append(append([]string{t.bins["vgcreate"]}, vgOptions...), "-s", pesize, vg)
				o, err := t.run(append(argv, devs...)...)
				if err != nil {
					return err
				}
				if o.RC != 0 {
					return remotecmd.Fail(fmt.Sprintf("Creating volume group '%s' failed", vg), "rc", o.RC, "err", o.Stderr)
				}
				changed = true
			}
		}
		return remotecmd.Done(module.Result{"changed": changed})
	}

	if state == "absent" {
		if call.Check {
			return remotecmd.Done(module.Result{"changed": true})
		}
		if this.lvCount != 0 && !force {
			return remotecmd.Fail(fmt.Sprintf("Refuse to remove non-empty volume group %s without force=true", vg))
		}
		vgremove, err := t.bin("vgremove")
		if err != nil {
			return err
		}
		o, err := t.runLine(fmt.Sprintf("%s --force %s", vgremove, vg))
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return remotecmd.Fail(fmt.Sprintf("Failed to remove volume group %s", vg), "rc", o.RC, "err", o.Stderr)
		}
		return remotecmd.Done(module.Result{"changed": true})
	}

	// Resize the VG to the given PVs.
	var members []string
	for _, pv := range pvs {
		if pv.vgName == vg {
			members = append(members, pv.name)
		}
	}
	current, _, err := t.realpaths(members)
	if err != nil {
		return err
	}
	toRemove, toAdd := minus(current, devs), minus(devs, current)

	if pvresize {
		for _, dev := range current {
			grow, err := pvNeedsResize(t, dev)
			if err != nil {
				return err
			}
			if !grow {
				continue
			}
			changed = true
			if call.Check {
				continue
			}
			cmd, err := t.bin("pvresize")
			if err != nil {
				return err
			}
			o, err := t.run(cmd, dev)
			if err != nil {
				return err
			}
			if o.RC != 0 {
				return remotecmd.Fail("Failed executing pvresize command.", "rc", o.RC, "err", o.Stderr)
			}
		}
	}

	if len(toAdd) == 0 && len(toRemove) == 0 {
		return remotecmd.Done(module.Result{"changed": changed})
	}
	if call.Check {
		return remotecmd.Done(module.Result{"changed": true})
	}
	if len(toAdd) > 0 {
		if err := createPVs(t, pvOptions, toAdd); err != nil {
			return err
		}
		vgextend, err := t.bin("vgextend")
		if err != nil {
			return err
		}
		list := strings.Join(toAdd, " ")
		o, err := t.runLine(fmt.Sprintf("%s %s %s", vgextend, vg, list))
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return remotecmd.Fail(fmt.Sprintf("Unable to extend %s by %s.", vg, list), "rc", o.RC, "err", o.Stderr)
		}
	}
	if len(toRemove) > 0 {
		vgreduce, err := t.bin("vgreduce")
		if err != nil {
			return err
		}
		list := strings.Join(toRemove, " ")
		o, err := t.runLine(fmt.Sprintf("%s --force %s %s", vgreduce, vg, list))
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return remotecmd.Fail(fmt.Sprintf("Unable to reduce %s by %s.", vg, list), "rc", o.RC, "err", o.Stderr)
		}
	}
	return remotecmd.Done(module.Result{"changed": true})
}

// createPVs runs pvcreate on each device, as lvg.py before vgcreate and
// vgextend.
func createPVs(t *target, options, devs []string) error {
	pvcreate, err := t.bin("pvcreate")
	if err != nil {
		return err
	}
	for _, dev := range devs {
		argv := append(append([]string{pvcreate}, options...), "-f", dev)
		o, err := t.run(argv...)
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return remotecmd.Fail(fmt.Sprintf("Creating physical volume '%s' failed", dev), "rc", o.RC, "err", o.Stderr)
		}
	}
	return nil
}

// pvNeedsResize reports whether the device has more than one extent beyond
// the end of its PV, lvg.py's condition for pvresize. lvg.py asks pvdisplay
// for the four sizes one by one; they are read here in one call.
func pvNeedsResize(t *target, dev string) (bool, error) {
	pvdisplay, err := t.bin("pvdisplay")
	if err != nil {
		return false, err
	}
	o, err := t.run(pvdisplay, dev, "--units", "b", "--columns", "--noheadings", "--nosuffix", "--separator", ";", "-o", "dev_size,pv_size,pe_start,vg_extent_size")
	if err != nil {
		return false, err
	}
	f := strings.Split(strings.TrimSpace(o.Stdout), ";")
	if len(f) != 4 {
		return false, remotecmd.Fail(fmt.Sprintf("invalid literal for int() with base 10: %q", o.Stdout))
	}
	var n [4]int64
	for i, s := range f {
		if n[i], err = strconv.ParseInt(strings.ReplaceAll(s, " ", ""), 10, 64); err != nil {
			return false, remotecmd.Fail(fmt.Sprintf("invalid literal for int() with base 10: %q", s))
		}
	}
	devSize, pvSize, peStart, extent := n[0], n[1], n[2], n[3]
	return devSize-(peStart+pvSize) > extent, nil
}

// parseVGs is lvg.py's parse_vgs.
func parseVGs(data string) ([]vgInfo, error) {
	var vgs []vgInfo
	for _, line := range nonEmptyLines(data) {
		p := strings.Split(strings.TrimSpace(line), ";")
		if len(p) < 3 {
			return nil, fmt.Errorf("vgs printed %q", line)
		}
		pvc, err1 := strconv.Atoi(p[1])
		lvc, err2 := strconv.Atoi(p[2])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("vgs printed %q", line)
		}
		vgs = append(vgs, vgInfo{name: p[0], pvCount: pvc, lvCount: lvc})
	}
	return vgs, nil
}

// parsePVs is lvg.py's parse_pvs: device-mapper devices (/dev/dm-N) are
// named by their /dev/mapper name, which dmsetup tells.
func parsePVs(t *target, data string) ([]pvInfo, error) {
	var pvs []pvInfo
	for _, line := range nonEmptyLines(data) {
		p := strings.Split(strings.TrimSpace(line), ";")
		if len(p) < 2 {
			return nil, fmt.Errorf("pvs printed %q", line)
		}
		if strings.HasPrefix(p[0], "/dev/dm-") {
			dmsetup, err := t.bin("dmsetup")
			if err != nil {
				return nil, err
			}
			o, err := t.runLine(fmt.Sprintf("%s info -C --noheadings -o name %s", dmsetup, shell.Quote(p[0])))
			if err != nil {
				return nil, err
			}
			if o.RC != 0 {
				return nil, remotecmd.Fail("Failed executing dmsetup command.", "rc", o.RC, "err", o.Stderr)
			}
			p[0] = "/dev/mapper/" + strings.TrimRight(o.Stdout, " \t\r\n")
		}
		pvs = append(pvs, pvInfo{name: p[0], vgName: p[1]})
	}
	return pvs, nil
}

// nonEmptyLines is str.splitlines without a last empty line.
func nonEmptyLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n"), "\n")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// minus is the elements of a that are not in b, in a's order (lvg.py uses
// sets, whose order Python does not define).
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !contains(b, x) && !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

var lvgDoc = &module.Doc{
	Name:  "lvg",
	Names: []string{"community.general.lvg"},
	Short: "Configure LVM volume groups",
	Description: []string{
		"This module creates, removes or resizes volume groups.",
	},
	Options: []module.Option{
		{Name: "force", Type: "bool", Default: false, Description: "If true, allows to remove volume group with logical volumes."},
		{Name: "pesize", Default: "4", Description: "The size of the physical extent. pesize must be a power of 2 of at least 1 sector (where the sector size is the largest sector size of the PVs currently used in the VG), or at least 128KiB. pesize can be optionally suffixed by a UNIT (k/K/m/M/g/G), default unit is megabyte."},
		{Name: "pv_options", Default: "", Description: "Additional options to pass to pvcreate when creating the volume group."},
		{Name: "pvresize", Type: "bool", Default: false, Description: "If true, resize the physical volume to the maximum available size."},
		{Name: "pvs", Type: "list", Elements: "str", Description: "List of comma-separated devices to use as physical devices in this volume group. Required when creating or resizing volume group. The module will take care of running pvcreate if needed."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Control if the volume group exists."},
		{Name: "vg", Required: true, Description: "The name of the volume group."},
		{Name: "vg_options", Default: "", Description: "Additional options to pass to vgcreate when creating the volume group."},
	},
	Check: module.Full,
	Diff:  module.None,
	Notes: []string{"This module does not modify PE size for already present volume group."},
	Examples: `- name: Create a volume group on top of /dev/sda1 with physical extent size = 32MB
  community.general.lvg:
    vg: vg.services
    pvs: /dev/sda1
    pesize: 32

- name: Create a volume group on top of /dev/sdb with physical extent size = 128KiB
  community.general.lvg:
    vg: vg.services
    pvs: /dev/sdb
    pesize: 128K

# If, for example, we already have VG vg.services on top of /dev/sdb1,
# this VG will be extended by /dev/sdc5.  Or if vg.services was created on
# top of /dev/sda5, we first extend it with /dev/sdb1 and /dev/sdc5,
# and then reduce by /dev/sda5.
- name: Create or resize a volume group on top of /dev/sdb1 and /dev/sdc5.
  community.general.lvg:
    vg: vg.services
    pvs: /dev/sdb1,/dev/sdc5

- name: Remove a volume group with name vg.services
  community.general.lvg:
    vg: vg.services
    state: absent

- name: Create a volume group on top of /dev/sda3 and resize the volume group /dev/sda3 to the maximum possible
  community.general.lvg:
    vg: resizableVG
    pvs: /dev/sda3
    pvresize: true`,
}
