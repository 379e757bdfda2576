package system

import (
	"context"
	"fmt"
	"path"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
)

// mountModule is ansible.posix.mount for Linux, a port of mount.py: fstab
// entries (rewritten line by line as the module does) and the mount state
// with mount and umount.
type mountModule struct{}

func init() { module.Register(mountModule{}) }

func (mountModule) Doc() *module.Doc { return mountDoc }

// escapeFstab is _escape_fstab.
func escapeFstab(v string) string {
	return strings.NewReplacer(`\`, `\134`, " ", `\040`, "&", `\046`).Replace(v)
}

// mountArgs are the module's args dict (also its result).
type mountArgs struct {
	name, src, fstype, opts, dump, passno, fstab, boot string
	hasSrc                                             bool
	warnings                                           []string
}

func (m *mountArgs) escaped() map[string]string {
	return map[string]string{"name": escapeFstab(m.name), "src": escapeFstab(m.src), "fstype": escapeFstab(m.fstype),
		"opts": escapeFstab(m.opts), "dump": escapeFstab(m.dump), "passno": escapeFstab(m.passno)}
}

func fstabLine(ld map[string]string) string {
	return fmt.Sprintf("%s %s %s %s %s %s\n", ld["src"], ld["name"], ld["fstype"], ld["opts"], ld["dump"], ld["passno"])
}

// fstabLines reads the fstab as readlines() does (each line with its newline).
func fstabLines(t *target, file string) ([]string, error) {
	content, _, err := t.readFile(file)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.SplitAfter(content, "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// skipFstabLine reports lines set_mount copies unchanged: blank, comments,
// and lines without 4 to 6 fields.
func skipFstabLine(line string) bool {
	f := strings.Fields(line)
	return strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") || len(f) < 4 || len(f) > 6
}

// otherEntry reports an entry that is not the one for m (swap entries are
// told apart by src).
func (m *mountArgs) otherEntry(ld map[string]string) bool {
	return ld["name"] != escapeFstab(m.name) || m.hasSrc && ld["name"] == "none" && ld["fstype"] == "swap" && ld["src"] != m.src
}

func parseFstabLine(line string) map[string]string {
	ld := map[string]string{"dump": "0", "passno": "0"}
	for i, f := range strings.Fields(line) {
		ld[[]string{"src", "name", "fstype", "opts", "dump", "passno"}[i]] = f
	}
	return ld
}

// setMount is _set_mount_save_old: the new fstab lines, the old ones, changed.
func (m *mountArgs) setMount(t *target) (newLines, oldLines []string, changed bool, err error) {
	lines, err := fstabLines(t, m.fstab)
	if err != nil {
		return nil, nil, false, err
	}
	esc := m.escaped()
	exists := false
	for _, line := range lines {
		if !strings.HasSuffix(line, "\n") {
			line += "\n"
		}
		oldLines = append(oldLines, line)
		if skipFstabLine(line) {
			newLines = append(newLines, line)
			continue
		}
		ld := parseFstabLine(line)
		if m.otherEntry(ld) {
			newLines = append(newLines, line)
			continue
		}
		exists = true
		for _, k := range []string{"src", "fstype", "opts", "dump", "passno"} {
			if ld[k] != esc[k] {
				ld[k] = esc[k]
				changed = true
			}
		}
		if changed {
			newLines = append(newLines, fstabLine(ld))
		} else {
			newLines = append(newLines, line)
		}
	}
	if !exists {
		newLines = append(newLines, fstabLine(esc))
		changed = true
	}
	return newLines, oldLines, changed, nil
}

// unsetMount is unset_mount: the fstab without m's entry.
func (m *mountArgs) unsetMount(t *target) ([]string, bool, error) {
	lines, err := fstabLines(t, m.fstab)
	if err != nil {
		return nil, false, err
	}
	var out []string
	changed := false
	for _, line := range lines {
		if skipFstabLine(line) || m.otherEntry(parseFstabLine(line)) {
			out = append(out, line)
			continue
		}
		changed = true
	}
	return out, changed, nil
}

// mountRun carries one call.
type mountRun struct {
	t     *target
	a     module.Args
	m     *mountArgs
	check bool
}

func (r *mountRun) writeFstab(lines []string) error {
	if r.a.Bool("backup") {
		return fmt.Errorf("gorun's mount module does not support backup yet")
	}
	return r.t.writeFile(r.m.fstab, strings.Join(lines, ""), "0644")
}

// mounted reports os.path.ismount(name) or a bind mount of name (with src
// and fstype when given) in /proc/self/mountinfo.
func (r *mountRun) mounted(src string) (bool, error) {
	q := shell.Quote(r.m.name)
	o, err := r.t.Sh(nil, "mountpoint -q "+q+" && echo yes; cat /proc/self/mountinfo")
	if err != nil {
		return false, err
	}
	if strings.HasPrefix(o.Stdout, "yes\n") {
		return true, nil
	}
	mounts := linuxMounts(o.Stdout)
	mnt, ok := mounts[r.m.name]
	if !ok {
		return false, nil
	}
	return src == "" || mnt == src, nil
}

// linuxMounts is get_linux_mounts: mount point -> source (bind mounts as
// their source directory).
func linuxMounts(mountinfo string) map[string]string {
	type rec struct {
		id, parent     string
		root, dst, src string
	}
	byID := map[string]*rec{}
	var order []*rec
	for _, line := range strings.Split(mountinfo, "\n") {
		f := strings.Fields(line)
		if len(f) < 10 {
			continue
		}
		r := &rec{id: f[0], parent: f[1], root: f[3], dst: f[4], src: f[len(f)-2]}
		byID[r.id] = r
		order = append(order, r)
	}
	out := map[string]string{}
	for _, m := range order {
		src := m.src
		if p, ok := byID[m.parent]; m.parent != "1" && ok {
			root := m.root
			if len(p.root) > 1 && strings.HasPrefix(root, p.root+"/") {
				root = root[len(p.root):]
			}
			if p.dst != "/" {
				root = p.dst + root
			}
			src = root
		}
		out[m.dst] = src
	}
	return out
}

func (r *mountRun) mountCmd(extra ...string) (int, string, error) {
	argv := append([]string{"mount"}, extra...)
	if r.a.String("state") != "ephemeral" && r.m.fstab != "/etc/fstab" {
		argv = append(argv, "-T", r.m.fstab)
	}
	if r.a.String("state") == "ephemeral" {
		argv = append(argv, "-t", r.m.fstype)
		if r.m.opts != "defaults" {
			argv = append(argv, "-o", r.m.opts)
		}
		argv = append(argv, r.m.src)
	}
	o, err := r.t.Run(nil, append(argv, r.m.name)...)
	if err != nil || o.RC == 0 {
		return 0, "", err
	}
	return o.RC, o.Stdout + o.Stderr, nil
}

func (r *mountRun) umount() (int, string, error) {
	o, err := r.t.Run(nil, "umount", r.m.name)
	if err != nil || o.RC == 0 {
		return 0, "", err
	}
	return o.RC, o.Stdout + o.Stderr, nil
}

// remount tries mount -o remount and falls back to umount and mount.
func (r *mountRun) remount() (int, string, error) {
	opt := "remount"
	if r.a.String("state") == "remounted" && r.m.opts != "defaults" {
		opt = "remount," + r.m.opts
	}
	rc, msg, err := r.mountCmd("-o", opt)
	if err != nil || rc == 0 {
		return rc, msg, err
	}
	if r.a.String("state") == "remounted" && r.m.opts != "defaults" {
		return 1, "Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a \"state: unmounted\" followed by a \"state: mounted\" using the full desired mount options instead.", nil
	}
	if rc, msg, err = r.umount(); err != nil || rc != 0 {
		return rc, msg, err
	}
	return r.mountCmd()
}

func (mountModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	state := a.String("state")
	m := &mountArgs{name: a.String("path"), opts: "defaults", dump: "0", passno: "0", fstab: a.String("fstab"), boot: "yes", warnings: []string{}}
	if m.fstab == "" {
		m.fstab = "/etc/fstab"
	}
	if a.Has("src") {
		m.src, m.hasSrc = a.String("src"), true
	}
	m.fstype = a.String("fstype")
	for k, p := range map[string]*string{"passno": &m.passno, "opts": &m.opts, "dump": &m.dump} {
		if a.Has(k) {
			*p = a.String(k)
		}
	}
	opts := strings.Split(m.opts, ",")
	switch {
	case contains(opts, "noauto"):
		m.warnings = append(m.warnings, "Ignore the 'boot' due to 'opts' contains 'noauto'.")
	case !a.Bool("boot"):
		m.boot = "no"
		if contains(opts, "defaults") {
			m.warnings = append(m.warnings, "Ignore the 'boot' due to 'opts' contains 'defaults'.")
		} else {
			m.opts = strings.Join(append(opts, "noauto"), ",")
		}
	}
	r := &mountRun{t: t, a: a, m: m, check: call.Check}
	if state != "ephemeral" {
		q := shell.Quote(m.fstab)
		o, err := t.Sh(nil, "test -e "+q+" && exit 0; mkdir -p "+shell.Quote(path.Dir(m.fstab))+" && : >> "+q)
		if err != nil {
			return nil, err
		}
		if o.RC != 0 {
			return module.Failed(fmt.Sprintf("Failed to open %s due to %s", m.fstab, strings.TrimSpace(o.Stderr))), nil
		}
	}
	fail := func(format string, args ...any) (module.Result, error) {
		return module.Failed(fmt.Sprintf(format, args...)), nil
	}
	changed := false
	var err error
	switch state {
	case "absent_from_fstab", "absent":
		var lines []string
		if lines, changed, err = m.unsetMount(t); err != nil {
			return nil, err
		}
		if changed && !r.check {
			if err := r.writeFstab(lines); err != nil {
				return fail("%v", err)
			}
			if state == "absent" {
				if is, err := r.mounted(""); err != nil {
					return nil, err
				} else if is {
					if rc, msg, err := r.umount(); err != nil {
						return nil, err
					} else if rc != 0 {
						return fail("Error unmounting %s: %s", m.name, msg)
					}
				}
				o, err := t.Sh(nil, "test -e "+shell.Quote(m.name)+" || exit 0; rmdir "+shell.Quote(m.name))
				if err != nil {
					return nil, err
				}
				if o.RC != 0 {
					return fail("Error rmdir %s: %s", m.name, strings.TrimSpace(o.Stderr))
				}
			}
		}
	case "unmounted":
		is, err := r.mounted("")
		if err != nil {
			return nil, err
		}
		if is {
			if !r.check {
				if rc, msg, err := r.umount(); err != nil {
					return nil, err
				} else if rc != 0 {
					return fail("Error unmounting %s: %s", m.name, msg)
				}
			}
			changed = true
		}
	case "mounted", "ephemeral":
		var created string
		if !r.check {
			o, err := t.Sh(nil, `p=`+shell.Quote(m.name)+`; test -e "$p" && exit 0; first=$p; while ! test -e "$(dirname "$first")"; do first=$(dirname "$first"); done; mkdir -p "$p" && echo "$first"`)
			if err != nil {
				return nil, err
			}
			if o.RC != 0 {
				return fail("Error making dir %s: %s", m.name, strings.TrimSpace(o.Stderr))
			}
			created = strings.TrimSpace(o.Stdout)
		}
		var newLines, oldLines []string
		if state != "ephemeral" {
			if newLines, oldLines, changed, err = m.setMount(t); err != nil {
				return nil, err
			}
			if changed && !r.check {
				if err := r.writeFstab(newLines); err != nil {
					return fail("%v", err)
				}
			}
		}
		is, err := r.mounted(m.src)
		if err != nil {
			return nil, err
		}
		rc, msg := 0, ""
		if is {
			if changed && !r.check {
				if rc, msg, err = r.remount(); err != nil {
					return nil, err
				}
			}
			if state == "ephemeral" {
				return fail("gorun's mount module does not support remounting ephemeral mounts yet")
			}
		} else {
			changed = true
			if !r.check {
				if rc, msg, err = r.mountCmd(); err != nil {
					return nil, err
				}
			}
		}
		if rc != 0 {
			if state != "ephemeral" {
				r.t.writeFile(m.fstab, strings.Join(oldLines, ""), "0644")
			}
			if created != "" {
				t.Run(nil, "rm", "-r", "--one-file-system", created)
			}
			return fail("Error mounting %s: %s", m.name, msg)
		}
	case "present":
		var lines []string
		if lines, _, changed, err = m.setMount(t); err != nil {
			return nil, err
		}
		if changed && !r.check {
			if err := r.writeFstab(lines); err != nil {
				return fail("%v", err)
			}
		}
	case "remounted":
		if !r.check {
			rc, msg, err := r.remount()
			if err != nil {
				return nil, err
			}
			if rc != 0 {
				return fail("Error remounting %s: %s", m.name, msg)
			}
		}
		changed = true
	}
	res := module.Result{"changed": changed, "name": m.name, "opts": m.opts, "dump": m.dump, "passno": m.passno,
		"fstab": m.fstab, "boot": m.boot, "backup_file": "", "fstype": m.fstype}
	if a.Has("fstype") {
		res["fstype"] = m.fstype
	} else {
		delete(res, "fstype")
	}
	if m.hasSrc {
		res["src"] = m.src
	}
	for _, w := range m.warnings {
		if call.Warn != nil {
			call.Warn(w)
		}
	}
	return res, nil
}

var mountDoc = &module.Doc{
	Name:  "mount",
	Names: []string{"ansible.posix.mount"},
	Short: "Control active and configured mount points",
	Description: []string{
		"This module controls active and configured mount points in /etc/fstab.",
	},
	Options: []module.Option{
		{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
		{Name: "boot", Type: "bool", Default: true, Description: "Determines if the filesystem should be mounted on boot. Only applies to Solaris and Linux systems. For Solaris systems, true will set yes as the value of mount at boot in /etc/vfstab. For Linux, FreeBSD, NetBSD and OpenBSD systems, false will add noauto to mount options in /etc/fstab. To avoid mount option conflicts, if noauto specified in opts, mount module will ignore boot. This parameter is ignored when state is set to ephemeral."},
		{Name: "dump", Default: "0", Description: "Dump (see fstab(5)). Note that if set to null and state set to present, it will cease to work and duplicate entries will be made with subsequent runs. Has no effect on Solaris systems or when used with ephemeral."},
		{Name: "fstab", Type: "str", Description: "File to use instead of /etc/fstab. You should not use this option unless you really know what you are doing. This might be useful if you need to configure mountpoints in a chroot environment. OpenBSD does not allow specifying alternate fstab files with mount so do not use this on OpenBSD with any state that operates on the live filesystem. This parameter defaults to /etc/fstab or /etc/vfstab on Solaris. This parameter is ignored when state is set to ephemeral."},
		{Name: "fstype", Description: "Filesystem type. Required when state is present, mounted or ephemeral."},
		{Name: "opts", Description: "Mount options (see fstab(5), or vfstab(4) on Solaris)."},
		{Name: "passno", Default: "0", Description: "Passno (see fstab(5)). Note that if set to null and state set to present, it will cease to work and duplicate entries will be made with subsequent runs. Deprecated on Solaris systems. Has no effect when used with ephemeral."},
		{Name: "path", Type: "path", Aliases: []string{"name"}, Required: true, Description: "Path to the mount point (e.g. /mnt/files). Before Ansible 2.3 this option was only usable as dest, destfile and name."},
		{Name: "src", Type: "path", Description: "Device (or NFS volume, or something else) to be mounted on path. Required when state set to present, mounted or ephemeral."},
		{Name: "state", Required: true, Choices: []any{"absent", "absent_from_fstab", "mounted", "present", "unmounted", "remounted", "ephemeral"}, Description: "If mounted, the device will be actively mounted and appropriately configured in fstab. If the mount point is not present, the mount point will be created. If unmounted, the device will be unmounted without changing fstab. present only specifies that the device is to be configured in fstab and does not trigger or require a mount. ephemeral only specifies that the device is to be mounted, without changing fstab. If it is already mounted, a remount will be triggered. This will always return changed=True. If the mount point path has already a device mounted on, and its source is different than src, the module will fail to avoid unexpected unmount or mount point override. If the mount point is not present, the mount point will be created. The fstab is completely ignored. This option is added in version 1.5.0. absent specifies that the device mount's entry will be removed from fstab and will also unmount the device and remove the mount point. remounted specifies that the device will be remounted for when you want to force a refresh on the mount itself (added in 2.9). This will always return changed=true. If opts is set, the options will be applied to the remount, but will not change fstab.  Additionally, if opts is set, and the remount command fails, the module will error to prevent unexpected mount changes.  Try using mounted instead to work around this issue.  remounted expects the mount point to be present in the fstab. To remount a mount point not registered in fstab, use ephemeral instead, especially with BSD nodes. absent_from_fstab specifies that the device mount's entry will be removed from fstab. This option does not unmount it or delete the mountpoint."},
	},
	RequiredIf: []module.RequiredIf{
		{Key: "state", Value: "mounted", Requires: []string{"src", "fstype"}},
		{Key: "state", Value: "present", Requires: []string{"src", "fstype"}},
		{Key: "state", Value: "ephemeral", Requires: []string{"src", "fstype"}},
	},
	Check: module.Full,
	Notes: []string{"Linux only. Not supported yet (a clear error): backup, remounting an ephemeral mount."},
	Diff:  module.None,
	Examples: `# Before 2.3, option 'name' was used instead of 'path'
- name: Mount DVD read-only
  ansible.posix.mount:
    path: /mnt/dvd
    src: /dev/sr0
    fstype: iso9660
    opts: ro,noauto
    state: present

- name: Mount up device by label
  ansible.posix.mount:
    path: /srv/disk
    src: LABEL=SOME_LABEL
    fstype: ext4
    state: present

- name: Mount up device by UUID
  ansible.posix.mount:
    path: /home
    src: UUID=b3e48f45-f933-4c8e-a700-22a159ec9077
    fstype: xfs
    opts: noatime
    state: present

- name: Unmount a mounted volume
  ansible.posix.mount:
    path: /tmp/mnt-pnt
    state: unmounted

- name: Remount a mounted volume
  ansible.posix.mount:
    path: /tmp/mnt-pnt
    state: remounted

# The following will not save changes to fstab, and only be temporary until
# a reboot, or until calling "state: unmounted" followed by "state: mounted"
# on the same "path"
- name: Remount a mounted volume and append exec to the existing options
  ansible.posix.mount:
    path: /tmp
    state: remounted
    opts: exec

- name: Mount and bind a volume
  ansible.posix.mount:
    path: /system/new_volume/boot
    src: /boot
    opts: bind
    state: mounted
    fstype: none

- name: Mount an NFS volume
  ansible.posix.mount:
    src: 192.168.1.100:/nfs/ssd/shared_data
    path: /mnt/shared_data
    opts: rw,sync,hard
    state: mounted
    fstype: nfs

- name: Mount NFS volumes with noauto according to boot option
  ansible.posix.mount:
    src: 192.168.1.100:/nfs/ssd/shared_data
    path: /mnt/shared_data
    opts: rw,sync,hard
    boot: false
    state: mounted
    fstype: nfs

- name: Mount ephemeral SMB volume
  ansible.posix.mount:
    src: //192.168.1.200/share
    path: /mnt/smb_share
    opts: "rw,vers=3,file_mode=0600,dir_mode=0700,dom={{ ad_domain }},username={{ ad_username }},password={{ ad_password }}"
    fstype: cifs
    state: ephemeral`,
}
