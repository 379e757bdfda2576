package rhel

import (
	"context"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

// fileOptions are Ansible's common file arguments (the `files` doc
// fragment), which yum_repository takes for the .repo file.
var fileOptions = []module.Option{
	{Name: "attributes", Aliases: []string{"attr"}, Description: "The attributes the resulting filesystem object should have, as chattr flags. gorun does not support it yet and fails when it is set."},
	{Name: "group", Description: "Name of the group that should own the filesystem object, as would be fed to chown."},
	{Name: "mode", Type: "raw", Description: "The permissions of the resulting filesystem object, octal (0644) or symbolic (u=rw,g=r,o=r). Without it a new file gets the default umask and an existing one keeps its mode."},
	{Name: "owner", Description: "Name of the user that should own the filesystem object, as would be fed to chown. A numeric name is taken as a user ID."},
	{Name: "selevel", Description: "The level part of the SELinux filesystem object context."},
	{Name: "serole", Description: "The role part of the SELinux filesystem object context."},
	{Name: "setype", Description: "The type part of the SELinux filesystem object context."},
	{Name: "seuser", Description: "The user part of the SELinux filesystem object context."},
	{Name: "unsafe_writes", Type: "bool", Default: false, Description: "Allow non-atomic writes where atomic ones fail. gorun always writes atomically."},
}

// unsupportedFileOptions fails on common file options gorun does not honour
// yet. SELinux contexts are accepted as the files modules accept them.
func unsupportedFileOptions(a module.Args) module.Result {
	if a.Has("attributes") {
		return module.Failed("the option 'attributes' (chattr flags) is not supported by gorun yet")
	}
	return nil
}

// applyFileAttrs is set_fs_attributes_if_different for owner, group and
// mode on an existing path: it reports whether anything differs and, unless
// in check mode, changes it.
func applyFileAttrs(ctx context.Context, call *module.Call, path string) (bool, error) {
	attrs := remotefile.AttrsFromArgs(call.Args)
	if attrs.Mode == nil && attrs.Owner == "" && attrs.Group == "" {
		return false, nil
	}
	info, err := remotefile.Stat(ctx, call.Conn, path, attrs.StatOptions(remotefile.StatOptions{}))
	if err != nil {
		return false, err
	}
	change, err := attrs.Plan(info, false, remotefile.NewDiff(path))
	if err != nil || change.Empty() {
		return false, err
	}
	if call.Check {
		return true, nil
	}
	return true, change.Apply(ctx, call.Conn, path)
}
