package storage

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/modules/internal/remotecmd"
)

// lvolModule is community.general.lvol, a port of lvol.py: it creates,
// resizes, (de)activates and removes LVM logical volumes, snapshots, thin
// pools and thin volumes with lvcreate, lvextend, lvreduce, lvchange and
// lvremove, all run with --test in check mode.
type lvolModule struct{}

func init() { module.Register(lvolModule{}) }

func (lvolModule) Doc() *module.Doc { return lvolDoc }

// lvolEnv is lvol.py's LVOL_ENV_VARS: the C locale for every command.
var lvolEnv = map[string]string{"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": "C", "LC_CTYPE": "C"}

// lvInfo is a line of lvs.
type lvInfo struct {
	name                      string
	size                      float64
	active, thinpool, thinvol bool
}

// vgSizes is a line of vgs in lvol.py: sizes in the unit asked for.
type vgSizes struct {
	name                string
	size, free, extSize float64
}

var lvmVersionRE = regexp.MustCompile(`LVM version:\s+(\d+)\.(\d+)\.(\d+).*(\d{4}-\d{2}-\d{2})`)

// lvolSize is the parsed size option.
type lvolSize struct {
	// value is the number without operator and unit ("" without size).
	value string
	// operator is "+", "-" or "" (an absolute size).
	operator string
	// opt is lvcreate's option letter: "L" for a size, "l" for extents.
	opt string
	// unit is the unit as given ("m" by default, "" for extents).
	unit string
	// percent and whole are a percentage size: 80 and "VG", "PVS" or "FREE".
	percent int
	whole   string
}

// parseLvolSize parses size as lvol.py does: an optional + or -, then
// either PERCENT%{VG,PVS,FREE} or a number with an optional unit letter.
func parseLvolSize(size string) (lvolSize, error) {
	s := lvolSize{opt: "L", unit: "m"}
	if size == "" {
		return s, nil
	}
	if strings.HasPrefix(size, "+") || strings.HasPrefix(size, "-") {
		s.operator, size = size[:1], size[1:]
	}
	if pct, whole, ok := strings.Cut(size, "%"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(pct))
		if err != nil {
			return s, remotecmd.Fail(fmt.Sprintf("invalid literal for int() with base 10: '%s'", pct))
		}
		if n > 100 {
			return s, remotecmd.Fail("Size percentage cannot be larger than 100%")
		}
		switch whole {
		case "ORIGIN":
			return s, remotecmd.Fail("Snapshot Volumes are not supported")
		case "VG", "PVS", "FREE":
		default:
			return s, remotecmd.Fail("Specify extents as a percentage of VG|PVS|FREE")
		}
		s.percent, s.whole, s.opt, s.unit = n, whole, "l", ""
		s.value = size
		return s, nil
	}
	if size == "" {
		return s, remotecmd.Fail("Bad size specification of ''")
	}
	if last := size[len(size)-1:]; strings.Contains("bskmgtpe", strings.ToLower(last)) {
		s.unit, size = last, size[:len(size)-1]
	}
	if _, ok := pyFloat(size); !ok || size == "" || size[0] < '0' || size[0] > '9' {
		return s, remotecmd.Fail(fmt.Sprintf("Bad size specification of '%s'", size))
	}
	s.value = size
	return s, nil
}

// pyFloat is Python's float(s) for the decimal forms a size can take.
func pyFloat(s string) (float64, bool) {
	if strings.ContainsAny(s, "xXpP_") {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

func (lvolModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call, lvolEnv)
	return remotecmd.Finish(nil, lvol(t, call))
}

// lvol is lvol.py's main.
func lvol(t *target, call *module.Call) error {
	a := call.Args
	vg, lv, thinpool, snapshot := a.String("vg"), a.String("lv"), a.String("thinpool"), a.String("snapshot")
	state := a.String("state")
	force, shrink, active, resizefs := a.Bool("force"), a.Bool("shrink"), a.Bool("active"), a.Bool("resizefs")
	opts := a.String("opts")
	pvs := strings.ReplaceAll(a.String("pvs"), ",", " ")
	// lvName is lv in lvol.py's messages, where an unset one shows as None.
	lvName := lv
	if !a.Has("lv") {
		lvName = "None"
	}

	if err := t.lookup("lvm", "vgs", "lvs", "lvcreate", "lvremove", "lvextend", "lvreduce", "lvchange"); err != nil {
		return err
	}
	lvm, err := t.bin("lvm")
	if err != nil {
		return err
	}
	o, err := t.runLine(lvm + " version")
	if err != nil {
		return err
	}
	m := lvmVersionRE.FindStringSubmatch(o.Stdout)
	if o.RC != 0 || m == nil {
		return remotecmd.Fail("Failed to get LVM version number")
	}
	// --yes came with LVM 2.2.99.
	yes := ""
	if mkversion(m[1], m[2], m[3]) >= 2002099 {
		yes = "--yes"
	}
	test := ""
	if call.Check {
		test = " --test"
	}

	size, err := parseLvolSize(a.String("size"))
	if err != nil {
		return err
	}
	unit := size.unit
	if size.opt == "l" {
		unit = "m"
	}

	// listVG runs an LVM report program on the volume group; lvol.py treats
	// a failure of either report as the group missing.
	listVG := func(program, args string) (string, error) {
		cmd, err := t.bin(program)
		if err != nil {
			return "", err
		}
		o, err := t.runLine(fmt.Sprintf("%s %s --units %s --separator ';' %s", cmd, args, strings.ToLower(unit), vg))
		if err != nil {
			return "", err
		}
		if o.RC != 0 {
			if state == "absent" {
				return "", remotecmd.Done(module.Result{"changed": false, "stdout": fmt.Sprintf("Volume group %s does not exist.", vg)})
			}
			return "", remotecmd.Fail(fmt.Sprintf("Volume group %s does not exist.", vg), "rc", o.RC, "err", o.Stderr)
		}
		return o.Stdout, nil
	}

	vgsOut, err := listVG("vgs", "--noheadings --nosuffix -o vg_name,size,free,vg_extent_size")
	if err != nil {
		return err
	}
	vgs, err := parseVGSizes(vgsOut)
	if err != nil {
		return err
	}
	thisVG := vgs[0]

	lvsOut, err := listVG("lvs", "-a --noheadings --nosuffix -o lv_name,size,lv_attr")
	if err != nil {
		return err
	}
	lvs, err := parseLVs(lvsOut)
	if err != nil {
		return err
	}

	checkLV := lv
	switch {
	case snapshot != "":
		found := false
		for _, l := range lvs {
			if l.name == lv || l.name == thinpool {
				if !l.thinpool && thinpool == "" {
					found = true
					break
				}
				return remotecmd.Fail("Snapshots of thin pool LVs are not supported.")
			}
		}
		if !found {
			return remotecmd.Fail(fmt.Sprintf("Snapshot origin LV %s does not exist in volume group %s.", lvName, vg))
		}
		checkLV = snapshot
	case thinpool != "" && lv != "":
		if findLV(lvs, thinpool) == nil {
			return remotecmd.Fail(fmt.Sprintf("Thin pool LV %s does not exist in volume group %s.", thinpool, vg))
		}
	case thinpool != "":
		checkLV = thinpool
	}
	var this *lvInfo
	for i := range lvs {
		base := checkLV[strings.LastIndex(checkLV, "/")+1:]
		if lvs[i].name == checkLV || lvs[i].name == base {
			this = &lvs[i]
			break
		}
	}

	changed := false
	if this == nil {
		if state != "present" {
			return remotecmd.Done(module.Result{"changed": false, "msg": ""})
		}
		// lvol.py means to refuse - and relative sizes other than
		// percentages here, but reads an unset variable for plain sizes
		// and stops with a NameError; gorun takes +SIZE as SIZE.
		if size.operator == "-" {
			return remotecmd.Fail(fmt.Sprintf("Bad size specification of '%s%s' for creating LV", size.operator, size.value))
		}
		// A size is required except for snapshots of thin volumes.
		if size.value == "" {
			thinSnap := false
			for _, l := range lvs {
				if l.name == lv && l.thinvol && snapshot != "" {
					thinSnap = true
					break
				}
			}
			if !thinSnap {
				return remotecmd.Fail("No size given.")
			}
		}
		lvcreate, err := t.bin("lvcreate")
		if err != nil {
			return err
		}
		var cmd string
		switch {
		case snapshot != "" && size.value != "":
			cmd = fmt.Sprintf("%s %s %s -%s %s%s -s -n %s %s %s/%s", lvcreate, test, yes, size.opt, size.value, size.unit, snapshot, opts, vg, lv)
		case snapshot != "":
			cmd = fmt.Sprintf("%s %s %s -s -n %s %s %s/%s", lvcreate, test, yes, snapshot, opts, vg, lv)
		case thinpool != "" && lv != "":
			if size.opt == "l" {
				return remotecmd.Fail("Thin volume sizing with percentage not supported.", "changed", false)
			}
			cmd = fmt.Sprintf("%s %s %s -n %s -V %s%s %s -T %s/%s", lvcreate, test, yes, lv, size.value, size.unit, opts, vg, thinpool)
		case thinpool != "":
			cmd = fmt.Sprintf("%s %s %s -%s %s%s %s -T %s/%s", lvcreate, test, yes, size.opt, size.value, size.unit, opts, vg, thinpool)
		default:
			cmd = fmt.Sprintf("%s %s %s -n %s -%s %s%s %s %s %s", lvcreate, test, yes, lv, size.opt, size.value, size.unit, opts, vg, pvs)
		}
		o, err := t.runLine(cmd)
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return remotecmd.Fail(fmt.Sprintf("Creating logical volume '%s' failed", lvName), "rc", o.RC, "err", o.Stderr)
		}
		return remotecmd.Done(module.Result{"changed": true, "msg": ""})
	}

	if state == "absent" {
		if !force {
			return remotecmd.Fail(fmt.Sprintf("Sorry, no removal of logical volume %s without force=true.", this.name))
		}
		lvremove, err := t.bin("lvremove")
		if err != nil {
			return err
		}
		o, err := t.runLine(fmt.Sprintf("%s %s --force %s/%s", lvremove, test, vg, this.name))
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return remotecmd.Fail(fmt.Sprintf("Failed to remove logical volume %s", lvName), "rc", o.RC, "err", o.Stderr)
		}
		return remotecmd.Done(module.Result{"changed": true})
	}

	if size.value != "" {
		tool, err := resizeTool(t, size, this, thisVG, unit, shrink, force)
		if err != nil {
			return err
		}
		if tool != "" {
			if resizefs {
				tool += " --resizefs"
			}
			cmd := fmt.Sprintf("%s %s -%s %s%s%s %s/%s %s", tool, test, size.opt, size.operator, size.value, size.unit, vg, this.name, pvs)
			o, err := t.runLine(cmd)
			if err != nil {
				return err
			}
			switch {
			case strings.Contains(o.Stdout, "Reached maximum COW size"):
				return remotecmd.Fail(fmt.Sprintf("Unable to resize %s to %s%s", lvName, size.value, size.unit), "rc", o.RC, "err", o.Stderr, "out", o.Stdout)
			case o.RC == 0:
				changed = true
			case strings.Contains(o.Stderr, "matches existing size"):
				return remotecmd.Done(module.Result{"changed": false, "vg": vg, "lv": this.name, "size": this.size})
			case strings.Contains(o.Stderr, "not larger than existing size"):
				return remotecmd.Done(module.Result{"changed": false, "vg": vg, "lv": this.name, "size": this.size, "msg": "Original size is larger than requested size", "err": o.Stderr})
			default:
				return remotecmd.Fail(fmt.Sprintf("Unable to resize %s to %s%s", lvName, size.value, size.unit), "rc", o.RC, "err", o.Stderr)
			}
		}
	}

	// lvol.py runs lvchange even in check mode.
	lvchange, err := t.bin("lvchange")
	if err != nil {
		return err
	}
	flag, verb, was := "-ay", "activate", !this.active
	if !active {
		flag, verb, was = "-an", "deactivate", this.active
	}
	o, err = t.runLine(fmt.Sprintf("%s %s %s/%s", lvchange, flag, vg, this.name))
	if err != nil {
		return err
	}
	if o.RC != 0 {
		return remotecmd.Fail(fmt.Sprintf("Failed to %s logical volume %s", verb, lvName), "rc", o.RC, "err", o.Stderr)
	}
	return remotecmd.Done(module.Result{"changed": was || changed, "vg": vg, "lv": this.name, "size": this.size})
}

// resizeTool decides as lvol.py whether the LV grows (lvextend), shrinks
// (lvreduce --force) or stays (""), and fails where lvol.py refuses.
func resizeTool(t *target, size lvolSize, this *lvInfo, vg vgSizes, unit string, shrink, force bool) (string, error) {
	grow, reduce := false, false
	if size.opt == "l" {
		requested := float64(size.percent) * vg.size / 100
		if size.whole == "FREE" {
			requested = float64(size.percent) * vg.free / 100
		}
		switch size.operator {
		case "+":
			requested += this.size
		case "-":
			requested = this.size - requested
		}
		// All LVM tools round down to whole extents.
		requested -= pyMod(requested, vg.extSize)
		switch {
		case this.size < requested:
			if vg.free > 0 && vg.free >= requested-this.size {
				grow = true
			} else {
				return "", remotecmd.Fail(fmt.Sprintf("Logical Volume %s could not be extended. Not enough free space left (%s%s required / %s%s available)",
					this.name, pytext.FloatRepr(requested-this.size), unit, pytext.FloatRepr(vg.free), unit))
			}
		case shrink && this.size > requested+vg.extSize:
			switch {
			case requested < 1:
				return "", remotecmd.Fail(fmt.Sprintf("Sorry, no shrinking of %s to 0 permitted.", this.name))
			case !force:
				return "", remotecmd.Fail(fmt.Sprintf("Sorry, no shrinking of %s without force=true", this.name))
			}
			reduce = true
		}
	} else {
		want, _ := pyFloat(size.value)
		switch {
		case want > this.size || size.operator == "+":
			grow = true
		case shrink && want < this.size || size.operator == "-":
			if want == 0 {
				return "", remotecmd.Fail(fmt.Sprintf("Sorry, no shrinking of %s to 0 permitted.", this.name))
			}
			if !force {
				return "", remotecmd.Fail(fmt.Sprintf("Sorry, no shrinking of %s without force=true.", this.name))
			}
			reduce = true
		}
	}
	switch {
	case grow:
		return t.bin("lvextend")
	case reduce:
		tool, err := t.bin("lvreduce")
		return tool + " --force", err
	}
	return "", nil
}

// pyMod is Python's % for floats: the result has the divisor's sign.
func pyMod(a, b float64) float64 {
	r := math.Mod(a, b)
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return r
}

func mkversion(major, minor, patch string) int {
	a, _ := strconv.Atoi(major)
	b, _ := strconv.Atoi(minor)
	c, _ := strconv.Atoi(patch)
	return 1000*1000*a + 1000*b + c
}

func findLV(lvs []lvInfo, name string) *lvInfo {
	for i := range lvs {
		if lvs[i].name == name {
			return &lvs[i]
		}
	}
	return nil
}

// parseLVs is lvol.py's parse_lvs.
func parseLVs(data string) ([]lvInfo, error) {
	var lvs []lvInfo
	for _, line := range nonEmptyLines(data) {
		p := strings.Split(strings.TrimSpace(line), ";")
		if len(p) < 3 || len(p[2]) < 5 {
			return nil, remotecmd.Fail(fmt.Sprintf("lvs printed %q", line))
		}
		size, ok := pyFloat(p[1])
		if !ok {
			return nil, remotecmd.Fail(fmt.Sprintf("could not convert string to float: '%s'", p[1]))
		}
		lvs = append(lvs, lvInfo{
			name:     strings.NewReplacer("[", "", "]", "").Replace(p[0]),
			size:     size,
			active:   p[2][4] == 'a',
			thinpool: p[2][0] == 't',
			thinvol:  p[2][0] == 'V',
		})
	}
	return lvs, nil
}

// parseVGSizes is lvol.py's parse_vgs.
func parseVGSizes(data string) ([]vgSizes, error) {
	var vgs []vgSizes
	for _, line := range nonEmptyLines(data) {
		p := strings.Split(strings.TrimSpace(line), ";")
		if len(p) < 4 {
			return nil, remotecmd.Fail(fmt.Sprintf("vgs printed %q", line))
		}
		var n [3]float64
		for i := range n {
			f, ok := pyFloat(p[i+1])
			if !ok {
				return nil, remotecmd.Fail(fmt.Sprintf("could not convert string to float: '%s'", p[i+1]))
			}
			n[i] = f
		}
		vgs = append(vgs, vgSizes{name: p[0], size: n[0], free: n[1], extSize: n[2]})
	}
	if len(vgs) == 0 {
		return nil, remotecmd.Fail("vgs printed no volume group")
	}
	return vgs, nil
}

var lvolDoc = &module.Doc{
	Name:  "lvol",
	Names: []string{"community.general.lvol"},
	Short: "Configure LVM logical volumes",
	Description: []string{
		"This module creates, removes or resizes logical volumes.",
	},
	Options: []module.Option{
		{Name: "active", Type: "bool", Default: true, Description: "Whether the volume is active and visible to the host."},
		{Name: "force", Type: "bool", Default: false, Description: "Shrink or remove operations of volumes requires this switch. Ensures that that filesystems get never corrupted/destroyed by mistake."},
		{Name: "lv", Description: "The name of the logical volume."},
		{Name: "opts", Description: "Free-form options to be passed to the lvcreate command."},
		{Name: "pvs", Description: "Comma separated list of physical volumes (e.g. /dev/sda,/dev/sdb)."},
		{Name: "resizefs", Type: "bool", Default: false, Description: "Resize the underlying filesystem together with the logical volume. Supported for ext2, ext3, ext4, reiserfs and XFS filesystems. Attempts to resize other filesystem types will fail."},
		{Name: "shrink", Type: "bool", Default: true, Description: "Shrink if current size is higher than size requested."},
		{Name: "size", Description: "The size of the logical volume, according to lvcreate(8) --size, by default in megabytes or optionally with one of [bBsSkKmMgGtTpPeE] units; or according to lvcreate(8) --extents as a percentage of [VG|PVS|FREE]; Float values must begin with a digit. When resizing, apart from specifying an absolute size you may, according to lvextend(8)|lvreduce(8) --size, specify the amount to extend the logical volume with the prefix + or the amount to reduce the logical volume by with prefix -. Please note that when using + or -, the module is not idempotent."},
		{Name: "snapshot", Description: "The name of the snapshot volume"},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "Control if the logical volume exists. If present and the volume does not already exist then the size option is required."},
		{Name: "thinpool", Description: "The thin pool volume name. When you want to create a thin provisioned volume, specify a thin pool volume name."},
		{Name: "vg", Required: true, Description: "The volume group this logical volume is part of."},
	},
	RequiredOneOf: [][]string{{"lv", "thinpool"}},
	Check:         module.Full,
	Diff:          module.None,
	Notes: []string{
		"You must specify lv (when managing the state of logical volumes) or thinpool (when managing a thin provisioned volume).",
		"As lvol.py, the module runs lvchange -ay (or -an with active=false) on an existing volume even in check mode.",
	},
	Returns: []module.Return{
		{Name: "vg", Description: "The volume group, when the volume existed.", Returned: "success", Type: "str"},
		{Name: "lv", Description: "The logical volume's name, when it existed.", Returned: "success", Type: "str"},
		{Name: "size", Description: "The volume's size before the task, in the unit of size (megabytes by default).", Returned: "success", Type: "float"},
	},
	Examples: `- name: Create a logical volume of 512m
  community.general.lvol:
    vg: firefly
    lv: test
    size: 512

- name: Create a logical volume of 512m with disks /dev/sda and /dev/sdb
  community.general.lvol:
    vg: firefly
    lv: test
    size: 512
    pvs: /dev/sda,/dev/sdb

- name: Create cache pool logical volume
  community.general.lvol:
    vg: firefly
    lv: lvcache
    size: 512m
    opts: --type cache-pool

- name: Create a logical volume the size of all remaining space in the volume group
  community.general.lvol:
    vg: firefly
    lv: test
    size: 100%FREE

- name: Extend the logical volume to consume all remaining space in the volume group
  community.general.lvol:
    vg: firefly
    lv: test
    size: +100%FREE

- name: Extend the logical volume by given space
  community.general.lvol:
    vg: firefly
    lv: test
    size: +512M

- name: Extend the logical volume to take all remaining space of the PVs and resize the underlying filesystem
  community.general.lvol:
    vg: firefly
    lv: test
    size: 100%PVS
    resizefs: true

- name: Reduce the logical volume to 512m
  community.general.lvol:
    vg: firefly
    lv: test
    size: 512
    force: true

- name: Set the logical volume to 512m and do not try to shrink if size is lower than current one
  community.general.lvol:
    vg: firefly
    lv: test
    size: 512
    shrink: false

- name: Remove the logical volume.
  community.general.lvol:
    vg: firefly
    lv: test
    state: absent
    force: true

- name: Create a snapshot volume of the test logical volume.
  community.general.lvol:
    vg: firefly
    lv: test
    snapshot: snap1
    size: 100m

- name: Deactivate a logical volume
  community.general.lvol:
    vg: firefly
    lv: test
    active: false

- name: Create a thin pool of 512g
  community.general.lvol:
    vg: firefly
    thinpool: testpool
    size: 512g

- name: Create a thin volume of 128g
  community.general.lvol:
    vg: firefly
    lv: test
    thinpool: testpool
    size: 128g`,
}
