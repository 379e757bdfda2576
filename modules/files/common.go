// Package files holds the file and text modules: copy, template, file,
// lineinfile, blockinfile, replace, stat, slurp, fetch and friends. They
// drive the target through gorun/modules/internal/remotefile, with check
// mode and diff, and return what Ansible's modules return.
package files

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

// fileOptions are Ansible's FILE_COMMON_ARGUMENTS (the `files` doc fragment).
var fileOptions = []module.Option{
	{Name: "attributes", Aliases: []string{"attr"}, Description: "The attributes the resulting filesystem object should have. To get supported flags look at the man page for chattr on the target system. This string should contain the attributes in the same order as the one displayed by lsattr. The = operator is assumed as default, otherwise + or - operators need to be included in the string."},
	{Name: "group", Description: "Name of the group that should own the filesystem object, as would be fed to chown. When left unspecified, it uses the current group of the current user unless you are root, in which case it can preserve the previous ownership."},
	{Name: "mode", Type: "raw", Description: "The permissions of the destination file or directory. For those used to /usr/bin/chmod remember that modes are actually octal numbers. You must either add a leading zero so that Ansible's YAML parser knows it is an octal number (like 0644 or 01777) or quote it (like '644' or '1777') so Ansible receives a string and can do its own conversion from string into number. Giving Ansible a number without following one of these rules will end up with a decimal number which will have unexpected results. As of Ansible 1.8, the mode may be specified as a symbolic mode (for example, u+rwx or u=rw,g=r,o=r). As of Ansible 2.3, the mode may also be the special string preserve. preserve means that the file will be given the same permissions as the source file. When doing a recursive copy, see also directory_mode. If mode is not specified and the destination file does not exist, the default umask on the system will be used when setting the mode for the newly created file. If mode is not specified and the destination file does exist, the mode of the existing file will be used. Specifying mode is the best way to ensure files are created with the correct permissions. See CVE-2020-1736 for further details."},
	{Name: "owner", Description: "Name of the user that should own the filesystem object, as would be fed to chown. When left unspecified, it uses the current user unless you are root, in which case it can preserve the previous ownership. Specifying a numeric username will be assumed to be a user ID and not a username. Avoid numeric usernames to avoid this confusion."},
	{Name: "selevel", Description: "The level part of the SELinux filesystem object context. This is the MLS/MCS attribute, sometimes known as the range. When set to _default, it will use the level portion of the policy if available."},
	{Name: "serole", Description: "The role part of the SELinux filesystem object context. When set to _default, it will use the role portion of the policy if available."},
	{Name: "setype", Description: "The type part of the SELinux filesystem object context. When set to _default, it will use the type portion of the policy if available."},
	{Name: "seuser", Description: "The user part of the SELinux filesystem object context. By default it uses the system policy, where applicable. When set to _default, it will use the user portion of the policy if available."},
	{Name: "unsafe_writes", Type: "bool", Default: false, Description: "Influence when to use atomic operation to prevent data corruption or inconsistent reads from the target filesystem object. By default this module uses atomic operations to prevent data corruption or inconsistent reads from the target filesystem objects, but sometimes systems are configured or just broken in ways that prevent this. One example is docker mounted filesystem objects, which cannot be updated atomically from inside the container and can only be written in an unsafe manner. This option allows Ansible to fall back to unsafe methods of updating filesystem objects when atomic operations fail (however, it doesn't force Ansible to perform unsafe writes). IMPORTANT! Unsafe writes are subject to race conditions and can lead to data corruption."},
}

// withFileOptions appends the common file options to a module's own.
func withFileOptions(opts []module.Option) []module.Option {
	return append(opts, fileOptions...)
}

// checkFileOptions fails loudly on common options gorun does not honour:
// SELinux contexts (seuser, serole, setype, selevel) on a target where
// SELinux is enabled. Where it is not, Ansible ignores them
// (set_context_if_different returns at once when selinux_enabled() is
// false), and so does gorun; finding out costs one round trip, made only
// when the task sets one of them.
func checkFileOptions(ctx context.Context, c *module.Call) (module.Result, error) {
	var set []string
	for _, name := range []string{"seuser", "serole", "setype", "selevel"} {
		if c.Args.Has(name) {
			set = append(set, name)
		}
	}
	if len(set) == 0 {
		return nil, nil
	}
	out, err := remotefile.Run(ctx, c.Conn, `if [ -e /sys/fs/selinux/enforce ] || { command -v selinuxenabled >/dev/null 2>&1 && selinuxenabled; }; then echo enabled; fi`, nil)
	if err != nil {
		return failure("", err)
	}
	if strings.TrimSpace(out) == "enabled" {
		return module.Failed(fmt.Sprintf("SELinux contexts (%s) are not supported by gorun yet, and SELinux is enabled on this host", strings.Join(set, ", "))), nil
	}
	return nil, nil
}

// failure turns an error from remotefile into the module's failed result,
// worded as Ansible words it; errors that are not the module's to describe
// (connection lost) are returned as errors.
func failure(path string, err error) (module.Result, error) {
	var ae *remotefile.AttrError
	var ve *remotefile.ValidateError
	var se *remotefile.ScriptError
	switch {
	case errors.As(err, &ae):
		r := module.Result{"failed": true, "msg": ae.Msg, "path": path}
		if ae.Details != "" {
			r["details"] = ae.Details
		}
		return r, nil
	case errors.As(err, &ve):
		return module.Result{"failed": true, "msg": "failed to validate", "exit_status": ve.ExitStatus,
			"stdout": ve.Stdout, "stderr": ve.Stderr, "stdout_lines": lines(ve.Stdout), "stderr_lines": lines(ve.Stderr)}, nil
	case errors.As(err, &se):
		return module.Result{"failed": true, "msg": err.Error(), "path": path}, nil
	}
	var ue *connection.UnreachableError
	if errors.As(err, &ue) {
		return nil, err
	}
	return module.Failed(err.Error()), nil
}

// pathInfo is AnsibleModule's add_path_info: the keys every file-type
// result carries about the path it left.
func pathInfo(res module.Result, info *remotefile.Info) {
	if !info.Exists || info.Dangling {
		return
	}
	res["uid"], res["gid"] = info.UID, info.GID
	res["owner"], res["group"] = info.Owner, info.Group
	res["mode"] = remotefile.ModeString(info.Perm())
	res["state"] = info.State()
	res["size"] = int(info.Size)
}

// statFor stats path with the ids of the task's owner/group names resolved.
func statFor(ctx context.Context, c *module.Call, path string, o remotefile.StatOptions) (*remotefile.Info, error) {
	return remotefile.Stat(ctx, c.Conn, path, remotefile.AttrsFromArgs(c.Args).StatOptions(o))
}

// applyAttrs makes path's owner, group and mode what the task asks (in check
// mode it only reports), recording the change in diff; it returns whether
// anything changed.
func applyAttrs(ctx context.Context, c *module.Call, info *remotefile.Info, diff *remotefile.Diff) (bool, error) {
	change, err := remotefile.AttrsFromArgs(c.Args).Plan(info, false, diff)
	if err != nil {
		return false, err
	}
	if change.Empty() {
		return false, nil
	}
	if c.Check {
		return true, nil
	}
	return true, change.Apply(ctx, c.Conn, info.Path)
}

// lines splits output into lines as Ansible's stdout_lines (splitlines).
func lines(s string) []any {
	out := []any{}
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if s != "" {
			out = append(out, strings.TrimSuffix(l, "\r"))
		}
	}
	return out
}
