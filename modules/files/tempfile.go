package files

import (
	"context"
	"fmt"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(tempfileModule{}) }

type tempfileModule struct{}

func (tempfileModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "tempfile", Names: []string{"ansible.builtin.tempfile"},
		Short:       "Creates temporary files and directories",
		Description: []string{"The tempfile module creates temporary files and directories. mktemp command takes different parameters on various systems, this module helps to avoid troubles related to that. Files/directories created by module are accessible only by creator. In case you need to make them world-accessible you need to use ansible.builtin.file module.", "For Windows targets, use the ansible.windows.win_tempfile module instead."},
		Options: []module.Option{
			{Name: "path", Type: "path", Description: "Location where temporary file or directory should be created. If path is not specified, the default system temporary directory will be used."},
			{Name: "prefix", Default: "ansible.", Description: "Prefix of file/directory name created by module."},
			{Name: "state", Default: "file", Choices: []any{"directory", "file"}, Description: "Whether to create file or directory."},
			{Name: "suffix", Default: "", Description: "Suffix of file/directory name created by module."},
		},
		Check: module.None, Diff: module.None,
		Examples: `- name: Create temporary build directory
  ansible.builtin.tempfile:
    state: directory
    suffix: build

- name: Create temporary file
  ansible.builtin.tempfile:
    state: file
    suffix: temp
  register: tempfile_1

- name: Use the registered var and the file module to remove the temporary file
  ansible.builtin.file:
    path: "{{ tempfile_1.path }}"
    state: absent
  when: tempfile_1.path is defined`,
		Returns: []module.Return{
			{Name: "path", Description: "Path to created file or directory.", Returned: "success", Type: "str"},
		},
	}
}

func (tempfileModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	dir := `"${TMPDIR:-/tmp}"`
	if c.Args.Has("path") {
		dir = remotefile.Path(c.Args.String("path"))
	}
	flag := ""
	if c.Args.String("state") == "directory" {
		flag = "-d "
	}
	script := fmt.Sprintf("mktemp %s--suffix=%s -p %s -- %s", flag,
		remotefile.Path(c.Args.String("suffix")), dir, remotefile.Path(c.Args.String("prefix")+"XXXXXXXX"))
	out, err := remotefile.Run(ctx, c.Conn, script, nil)
	if err != nil {
		return module.Failed(fmt.Sprintf("%v", err)), nil
	}
	p := strings.TrimSpace(out)
	info, err := remotefile.Stat(ctx, c.Conn, p, remotefile.StatOptions{})
	if err != nil {
		return failure(p, err)
	}
	res := module.Result{"changed": true, "path": p}
	pathInfo(res, info)
	return res, nil
}
