package files

import (
	"context"
	"strings"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(slurpModule{}) }

type slurpModule struct{}

func (slurpModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "slurp", Names: []string{"ansible.builtin.slurp"},
		Short:       "Slurps a file from remote nodes",
		Description: []string{"This module works like ansible.builtin.fetch. It is used for fetching a base64- encoded blob containing the data in a remote file.", "This module is also supported for Windows targets."},
		Options: []module.Option{
			{Name: "src", Type: "path", Aliases: []string{"path"}, Required: true, Description: "The file on the remote system to fetch. This must be a file, not a directory."},
		},
		Check: module.Full, Diff: module.None,
		Examples: `- name: Find out what the remote machine's mounts are
  ansible.builtin.slurp:
    src: /proc/mounts
  register: mounts

- name: Print returned information
  ansible.builtin.debug:
    msg: "{{ mounts['content'] | b64decode }}"

# From the commandline, find the pid of the remote machine's sshd
# $ ansible host -m ansible.builtin.slurp -a 'src=/var/run/sshd.pid'
# host | SUCCESS => {
#     "changed": false,
#     "content": "MjE3OQo=",
#     "encoding": "base64",
#     "source": "/var/run/sshd.pid"
# }
# $ echo MjE3OQo= | base64 -d
# 2179`,
		Returns: []module.Return{
			{Name: "content", Description: "Encoded file content", Returned: "success", Type: "str"},
			{Name: "encoding", Description: "Type of encoding used for file", Returned: "success", Type: "str"},
			{Name: "source", Description: "Actual path of file slurped", Returned: "success", Type: "str"},
		},
	}
}

func (slurpModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	src := c.Args.String("src")
	out, err := remotefile.Run(ctx, c.Conn, "p="+remotefile.Path(src)+`
if [ -d "$p" ]; then echo dir; exit 0; fi
if [ ! -e "$p" ]; then echo missing; exit 0; fi
if [ ! -r "$p" ]; then echo unreadable; exit 0; fi
printf 'content '; base64 -w0 < "$p" || exit 1; echo`, nil)
	if err != nil {
		return failure(src, err)
	}
	switch out = strings.TrimSpace(out); {
	case out == "dir":
		return module.Failed("source is a directory and must be a file: " + src), nil
	case out == "missing":
		return module.Failed("file not found: " + src), nil
	case out == "unreadable":
		return module.Failed("file is not readable: " + src), nil
	}
	return module.Result{"changed": false, "content": strings.TrimPrefix(out, "content "), "source": src, "encoding": "base64"}, nil
}
