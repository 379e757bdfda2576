package files

import (
	"context"

	"gorun/engine/module"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(statModule{}) }

type statModule struct{}

func (statModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "stat", Names: []string{"ansible.builtin.stat"},
		Short:       "Retrieve file or file system status",
		Description: []string{"Retrieves facts for a file similar to the Linux/Unix 'stat' command.", "For Windows targets, use the ansible.windows.win_stat module instead."},
		Options: []module.Option{
			{Name: "checksum_algorithm", Aliases: []string{"checksum", "checksum_algo"}, Default: "sha1", Choices: []any{"md5", "sha1", "sha224", "sha256", "sha384", "sha512"}, Description: "Algorithm to determine checksum of file. Will throw an error if the host is unable to use specified algorithm. The remote host has to support the hashing method specified, md5 can be unavailable if the host is FIPS-140 compliant."},
			{Name: "follow", Type: "bool", Default: false, Description: "Whether to follow symlinks."},
			{Name: "get_attributes", Type: "bool", Aliases: []string{"attr", "attributes"}, Default: true, Description: "Get file attributes using lsattr tool if present."},
			{Name: "get_checksum", Type: "bool", Default: true, Description: "Whether to return a checksum of the file."},
			{Name: "get_mime", Type: "bool", Aliases: []string{"mime", "mime_type", "mime-type"}, Default: true, Description: "Use file magic and return data about the nature of the file. this uses the 'file' utility found on most Linux/Unix systems. This will add both mimetype and charset fields to the return, if possible. In Ansible 2.3 this option changed from mime to get_mime and the default changed to true."},
			{Name: "path", Type: "path", Aliases: []string{"dest", "name"}, Required: true, Description: "The full path of the file/object to get the facts of."},
		},
		Check: module.Full, Diff: module.None,
		Examples: `# Obtain the stats of /etc/foo.conf, and check that the file still belongs
# to 'root'. Fail otherwise.
- name: Get stats of a file
  ansible.builtin.stat:
    path: /etc/foo.conf
  register: st
- name: Fail if the file does not belong to 'root'
  ansible.builtin.fail:
    msg: "Whoops! file ownership has changed"
  when: st.stat.pw_name != 'root'

# Determine if a path exists and is a symlink. Note that if the path does
# not exist, and we test sym.stat.islnk, it will fail with an error. So
# therefore, we must test whether it is defined.
# Run this to understand the structure, the skipped ones do not pass the
# check performed by 'when'
- name: Get stats of the FS object
  ansible.builtin.stat:
    path: /path/to/something
  register: sym

- name: Print a debug message
  ansible.builtin.debug:
    msg: "islnk isn't defined (path doesn't exist)"
  when: sym.stat.islnk is not defined

- name: Print a debug message
  ansible.builtin.debug:
    msg: "islnk is defined (path must exist)"
  when: sym.stat.islnk is defined

- name: Print a debug message
  ansible.builtin.debug:
    msg: "Path exists and is a symlink"
  when: sym.stat.islnk is defined and sym.stat.islnk

- name: Print a debug message
  ansible.builtin.debug:
    msg: "Path exists and isn't a symlink"
  when: sym.stat.islnk is defined and sym.stat.islnk == False


# Determine if a path exists and is a directory.  Note that we need to test
# both that p.stat.isdir actually exists, and also that it's set to true.
- name: Get stats of the FS object
  ansible.builtin.stat:
    path: /path/to/something
  register: p
- name: Print a debug message
  ansible.builtin.debug:
    msg: "Path exists and is a directory"
  when: p.stat.isdir is defined and p.stat.isdir

- name: Do not calculate the checksum
  ansible.builtin.stat:
    path: /path/to/myhugefile
    get_checksum: no

- name: Use sha256 to calculate the checksum
  ansible.builtin.stat:
    path: /path/to/something
    checksum_algorithm: sha256`,
		Returns: []module.Return{
			{Name: "stat", Description: "Dictionary containing all the stat data, some platforms might add additional fields.", Returned: "success", Type: "complex"},
		},
	}
}

func (statModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	o := remotefile.StatOptions{Follow: c.Args.Bool("follow"), Mime: c.Args.Bool("get_mime"), Attributes: c.Args.Bool("get_attributes")}
	if c.Args.Bool("get_checksum") {
		o.Checksum = c.Args.String("checksum_algorithm")
	}
	path := c.Args.String("path")
	info, err := remotefile.Stat(ctx, c.Conn, path, o)
	if err != nil {
		return failure(path, err)
	}
	return module.Result{"changed": false, "stat": info.Map(o.Mime, o.Attributes)}, nil
}
