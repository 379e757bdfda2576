package files

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gorun/engine/module"
	"gorun/engine/template"
)

func init() { module.Register(templateModule{}) }

type templateModule struct{}

func (templateModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "template", Names: []string{"ansible.builtin.template"},
		Short:       "Template a file out to a target host",
		Description: []string{"Templates are processed by the L(Jinja2 templating language,http://jinja.pocoo.org/docs/).", "Documentation on the template formatting can be found in the L(Template Designer Documentation,http://jinja.pocoo.org/docs/templates/).", "Additional variables listed below can be used in templates.", "ansible_managed (configurable via the defaults section of ansible.cfg) contains a string which can be used to describe the template name, host, modification time of the template file and the owner uid.", "template_host contains the node name of the template's machine.", "template_uid is the numeric user id of the owner.", "template_path is the path of the template.", "template_fullpath is the absolute path of the template.", "template_destpath is the path of the template on the remote system (added in 2.8).", "template_run_date is the date that the template was rendered."},
		Options: withFileOptions([]module.Option{
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "block_end_string", Default: "%}", Description: "The string marking the end of a block."},
			{Name: "block_start_string", Default: "{%", Description: "The string marking the beginning of a block."},
			{Name: "comment_end_string", Description: "The string marking the end of a comment statement."},
			{Name: "comment_start_string", Description: "The string marking the beginning of a comment statement."},
			{Name: "dest", Type: "path", Required: true, Description: "Location to render the template to on the remote machine."},
			{Name: "follow", Type: "bool", Default: false, Description: "Determine whether symbolic links should be followed. When set to true symbolic links will be followed, if they exist. When set to false symbolic links will not be followed. Previous to Ansible 2.4, this was hardcoded as true."},
			{Name: "force", Type: "bool", Default: true, Description: "Determine when the file is being transferred if the destination already exists. When set to yes, replace the remote file when contents are different than the source. When set to no, the file will only be transferred if the destination does not exist."},
			{Name: "lstrip_blocks", Type: "bool", Default: false, Description: "Determine when leading spaces and tabs should be stripped. When set to yes leading spaces and tabs are stripped from the start of a line to a block."},
			{Name: "newline_sequence", Default: "\\n", Choices: []any{"\\n", "\\r", "\\r\\n"}, Description: "Specify the newline sequence to use for templating files."},
			{Name: "output_encoding", Default: "utf-8", Description: "Overrides the encoding used to write the template file defined by dest. It defaults to utf-8, but any encoding supported by python can be used. The source template file must always be encoded using utf-8, for homogeneity."},
			{Name: "src", Type: "path", Required: true, Description: "Path of a Jinja2 formatted template on the Ansible controller. This can be a relative or an absolute path. The file must be encoded with utf-8 but output_encoding can be used to control the encoding of the output template."},
			{Name: "trim_blocks", Type: "bool", Default: true, Description: "Determine when newlines should be removed from blocks. When set to yes the first newline after a block is removed (block, not variable tag!)."},
			{Name: "validate", Description: "The validation command to run before copying the updated file into the final destination. A temporary file path is used to validate, passed in through '%s' which must be present as in the examples below. Also, the command is passed securely so shell features such as expansion and pipes will not work. For an example on how to handle more complex validation than what this option provides, see R(handling complex validation,complex_configuration_validation)."},
			{Name: "variable_end_string", Default: "}}", Description: "The string marking the end of a print statement."},
			{Name: "variable_start_string", Default: "{{", Description: "The string marking the beginning of a print statement."},
		}),
		Check: module.Full, Diff: module.Full,
		Examples: `- name: Template a file to /etc/file.conf
  ansible.builtin.template:
    src: /mytemplates/foo.j2
    dest: /etc/file.conf
    owner: bin
    group: wheel
    mode: '0644'

- name: Template a file, using symbolic modes (equivalent to 0644)
  ansible.builtin.template:
    src: /mytemplates/foo.j2
    dest: /etc/file.conf
    owner: bin
    group: wheel
    mode: u=rw,g=r,o=r

- name: Copy a version of named.conf that is dependent on the OS. setype obtained by doing ls -Z /etc/named.conf on original file
  ansible.builtin.template:
    src: named.conf_{{ ansible_os_family }}.j2
    dest: /etc/named.conf
    group: named
    setype: named_conf_t
    mode: 0640

- name: Create a DOS-style text file from a template
  ansible.builtin.template:
    src: config.ini.j2
    dest: /share/windows/config.ini
    newline_sequence: '\r\n'

- name: Copy a new sudoers file into place, after passing validation with visudo
  ansible.builtin.template:
    src: /mine/sudoers
    dest: /etc/sudoers
    validate: /usr/sbin/visudo -cf %s

- name: Update sshd configuration safely, avoid locking yourself out
  ansible.builtin.template:
    src: etc/ssh/sshd_config.j2
    dest: /etc/ssh/sshd_config
    owner: root
    group: root
    mode: '0600'
    validate: /usr/sbin/sshd -t -f %s
    backup: yes`,
		Returns: []module.Return{},
	}
}

// fileTemplar is the part of the runner's Templar the template module needs.
type fileTemplar interface {
	Engine() *template.Engine
	Context() *template.Context
}

func (templateModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	ft, ok := c.Templar.(fileTemplar)
	if !ok {
		return module.Failed("template: no template engine available for this task"), nil
	}
	codec, err := lookupCodec(c.Args.String("output_encoding"))
	if err != nil {
		return module.Failed("template: output_encoding: " + err.Error()), nil
	}
	if v := c.Args.String("validate"); v != "" && !strings.Contains(v, "%s") {
		return module.Failed("validate must contain %s: " + v), nil
	}
	src, dest := c.Args.String("src"), c.Args.String("dest")
	local, err := c.Files.Find("templates", src)
	if err != nil {
		return actionFailed(err), nil
	}
	text, _, err := readController(c, local, true)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	st, err := os.Stat(local)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	opts := template.DefaultFileOptions()
	opts.Path = local
	opts.TrimBlocks, opts.LstripBlocks = c.Args.Bool("trim_blocks"), c.Args.Bool("lstrip_blocks")
	opts.NewlineSequence = unescapeNewline(c.Args.String("newline_sequence"))
	opts.VariableStart, opts.VariableEnd = c.Args.String("variable_start_string"), c.Args.String("variable_end_string")
	opts.BlockStart, opts.BlockEnd = c.Args.String("block_start_string"), c.Args.String("block_end_string")
	opts.CommentStart, opts.CommentEnd = c.Args.String("comment_start_string"), c.Args.String("comment_end_string")

	base := ft.Context()
	vars := make(map[string]any, len(base.Vars)+8)
	for k, v := range base.Vars {
		vars[k] = v
	}
	for k, v := range templateVars(local, src, dest, st) {
		vars[k] = v
	}
	tctx := &template.Context{Vars: vars, SearchPath: append([]string{filepath.Dir(local)}, base.SearchPath...)}
	out, err := ft.Engine().File(string(text), tctx, opts)
	if err != nil {
		return module.Failed(fmt.Sprintf("AnsibleError: %v", err)), nil
	}
	data, err := codec.encode(out)
	if err != nil {
		return module.Failed(fmt.Sprintf("template: output_encoding: %v", err)), nil
	}
	res, err := copyOne(ctx, c, fileSource{data: data, rel: filepath.Base(local), local: local, mode: st.Mode().Perm(), rendered: true}, dest)
	if res != nil && !res.IsFailed() && c.Args.String("mode") != "preserve" {
		delete(res, "src")
	}
	return res, err
}

// unescapeNewline turns the newline_sequence option (`\n`, `\r`, `\r\n`,
// written with backslashes in YAML single quotes) into the characters.
func unescapeNewline(s string) string {
	return strings.NewReplacer(`\r`, "\r", `\n`, "\n").Replace(s)
}

// templateVars are the variables the template action adds.
func templateVars(local, src, dest string, st os.FileInfo) map[string]any {
	host, _ := os.Hostname()
	owner := ""
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		owner = strconv.Itoa(int(sys.Uid))
		if u, err := user.LookupId(owner); err == nil {
			owner = u.Username
		}
	}
	abs, _ := filepath.Abs(local)
	return map[string]any{
		"template_host":     host,
		"template_path":     local,
		"template_fullpath": abs,
		"template_destpath": dest,
		"template_uid":      owner,
		"template_run_date": time.Now().Format("2006-01-02 15:04:05.000000"),
		"ansible_managed":   "Ansible managed",
	}
}
