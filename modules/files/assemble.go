package files

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/pyre"
	"gorun/modules/internal/remotefile"
)

func init() { module.Register(assembleModule{}) }

type assembleModule struct{}

func (assembleModule) Doc() *module.Doc {
	return &module.Doc{
		Name: "assemble", Names: []string{"ansible.builtin.assemble"},
		Short:       "Assemble configuration files from fragments",
		Description: []string{"Assembles a configuration file from fragments.", "Often a particular program will take a single configuration file and does not support a conf.d style structure where it is easy to build up the configuration from multiple sources. assemble will take a directory of files that can be local or have already been transferred to the system, and concatenate them together to produce a destination file.", "Files are assembled in string sorting order.", "Puppet calls this idea fragments."},
		Options: withFileOptions([]module.Option{
			{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file (if true), including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
			{Name: "decrypt", Type: "bool", Default: true, Description: "This option controls the autodecryption of source files using vault."},
			{Name: "delimiter", Description: "A delimiter to separate the file contents."},
			{Name: "dest", Type: "path", Required: true, Description: "A file to create using the concatenation of all of the source files."},
			{Name: "ignore_hidden", Type: "bool", Default: false, Description: "A boolean that controls if files that start with a '.' will be included or not."},
			{Name: "regexp", Description: "Assemble files only if regex matches the filename. If not set, all files are assembled. Every \\ (backslash) must be escaped as \\\\ to comply to YAML syntax. Uses L(Python regular expressions,https://docs.python.org/3/library/re.html)."},
			{Name: "remote_src", Type: "bool", Default: true, Description: "If false, it will search for src at originating/master machine. If true, it will go to the remote/target machine for the src."},
			{Name: "src", Type: "path", Required: true, Description: "An already existing directory full of source files."},
			{Name: "validate", Description: "The validation command to run before copying into place. The path to the file to validate is passed in via '%s' which must be present as in the sshd example below. The command is passed securely so shell features like expansion and pipes won't work."},
		}),
		// Check is Partial so that Run can answer check mode with the assemble
		// action's own words (it skips the task).
		Check: module.Partial, Diff: module.None,
		Examples: `- name: Assemble from fragments from a directory
  ansible.builtin.assemble:
    src: /etc/someapp/fragments
    dest: /etc/someapp/someapp.conf

- name: Insert the provided delimiter between fragments
  ansible.builtin.assemble:
    src: /etc/someapp/fragments
    dest: /etc/someapp/someapp.conf
    delimiter: '### START FRAGMENT ###'

- name: Assemble a new "sshd_config" file into place, after passing validation with sshd
  ansible.builtin.assemble:
    src: /etc/ssh/conf.d/
    dest: /etc/ssh/sshd_config
    validate: /usr/sbin/sshd -t -f %s`,
		Returns: []module.Return{},
	}
}

// fragment is one file assemble joins.
type fragment struct {
	name string
	data []byte
}

func (assembleModule) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if r, err := checkFileOptions(ctx, c); r != nil || err != nil {
		return r, err
	}
	if c.Check {
		// The assemble action refuses check mode with its own words.
		return module.ActionSkip("check mode is not supported for this task."), nil
	}
	a := c.Args
	src, dest := a.String("src"), a.String("dest")
	var re *pyre.Regexp
	if a.Has("regexp") {
		var err error
		if re, err = pyre.Compile(a.String("regexp"), 0); err != nil {
			return module.Failed(fmt.Sprintf("Invalid Regexp (%v) in \"%s\"", err, a.String("regexp"))), nil
		}
	}
	if v := a.String("validate"); v != "" && !strings.Contains(v, "%s") {
		return module.Failed("validate must contain %s: " + v), nil
	}
	var frags []fragment
	var err error
	if a.Bool("remote_src") {
		frags, err = remoteFragments(ctx, c, src)
	} else {
		local, ferr := c.Files.Find("files", src)
		if ferr != nil {
			return module.Failed(ferr.Error()), nil
		}
		src = local
		frags, err = localFragments(c, local, a.Bool("decrypt"))
	}
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	data := assemble(frags, re, a.Bool("ignore_hidden"), a.String("delimiter"), a.Has("delimiter"))
	sum := sha1.Sum(data)
	md := md5.Sum(data)
	res := module.Result{"src": src, "dest": dest, "checksum": hex.EncodeToString(sum[:]), "md5sum": hex.EncodeToString(md[:]), "msg": "OK"}
	info, err := statFor(ctx, c, dest, remotefile.StatOptions{Checksum: "sha1", Follow: true})
	if err != nil {
		return failure(dest, err)
	}
	changed := false
	if res["checksum"] != info.Checksum {
		w, err := remotefile.Write(ctx, c.Conn, remotefile.WriteRequest{
			Dest: dest, Content: bytes.NewReader(data), Existing: info,
			Validate: a.String("validate"), Backup: a.Bool("backup") && info.Checksum != "",
		})
		var ve *remotefile.ValidateError
		if errors.As(err, &ve) {
			return module.Failed(fmt.Sprintf("failed to validate: rc:%d error:%s", ve.ExitStatus, ve.Stderr)), nil
		}
		if err != nil {
			return failure(dest, err)
		}
		if a.Has("validate") {
			res["validation"] = map[string]any{"rc": 0, "stdout": "", "stderr": ""}
		}
		if w.BackupFile != "" {
			res["backup_file"] = w.BackupFile
		}
		w.Info.ResolvedUID, w.Info.ResolvedGID, w.Info.UserUID, w.Info.UserGID = info.ResolvedUID, info.ResolvedGID, info.UserUID, info.UserGID
		info, changed = w.Info, true
	}
	f := &textFile{path: dest, info: info, real: dest}
	changed, _, err = f.fileAttrs(ctx, c, changed, "", nil)
	if err != nil {
		return failure(dest, err)
	}
	if info, err = remotefile.Stat(ctx, c.Conn, dest, remotefile.StatOptions{}); err != nil {
		return failure(dest, err)
	}
	res["changed"] = changed
	if !a.Bool("remote_src") {
		// The controller-side action returns what its copy returned.
		delete(res, "msg")
		delete(res, "src")
	}
	pathInfo(res, info)
	return res, nil
}

// assemble is Ansible's assemble_from_fragments.
func assemble(frags []fragment, re *pyre.Regexp, ignoreHidden bool, delimiter string, hasDelimiter bool) []byte {
	var out bytes.Buffer
	delimit, addNewline := false, false
	delim := []byte(unescapePython(delimiter))
	for _, f := range frags {
		if re != nil {
			if m, _ := re.Search(f.name); m == nil {
				continue
			}
		}
		if ignoreHidden && strings.HasPrefix(f.name, ".") {
			continue
		}
		if addNewline {
			out.WriteByte('\n')
		}
		if delimit && hasDelimiter && len(delim) > 0 {
			out.Write(delim)
			if delim[len(delim)-1] != '\n' {
				out.WriteByte('\n')
			}
		}
		out.Write(f.data)
		delimit = true
		addNewline = !bytes.HasSuffix(f.data, []byte("\n"))
	}
	return out.Bytes()
}

// unescapePython is codecs.escape_decode for the escapes delimiters use.
func unescapePython(s string) string {
	return strings.NewReplacer(`\n`, "\n", `\t`, "\t", `\r`, "\r", `\\`, `\`).Replace(s)
}

// remoteFragments reads the regular files of a directory on the target, sorted by name.
func remoteFragments(ctx context.Context, c *module.Call, dir string) ([]fragment, error) {
	out, err := remotefile.Run(ctx, c.Conn, "d="+remotefile.Path(dir)+`
[ -e "$d" ] || { printf 'Source (%s) does not exist' "$d" >&2; exit 1; }
[ -d "$d" ] || { printf 'Source (%s) is not a directory' "$d" >&2; exit 1; }
for f in "$d"/* "$d"/.*; do
  [ -f "$f" ] || continue
  printf '%s\t' "$(basename -- "$f" | base64 -w0)"; base64 -w0 < "$f"; echo
done`, nil)
	if err != nil {
		return nil, err
	}
	var frags []fragment
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		n, d, ok := strings.Cut(l, "\t")
		if !ok {
			continue
		}
		name, _ := base64.StdEncoding.DecodeString(n)
		data, _ := base64.StdEncoding.DecodeString(d)
		frags = append(frags, fragment{name: string(name), data: data})
	}
	sort.Slice(frags, func(i, j int) bool { return frags[i].name < frags[j].name })
	return frags, nil
}

// localFragments reads the regular files of a controller directory, sorted
// by name, decrypting vaulted ones when decrypt is set.
func localFragments(c *module.Call, dir string, decrypt bool) ([]fragment, error) {
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, fmt.Errorf("Source (%s) is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var frags []fragment
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
			continue
		}
		data, _, err := readController(c, p, decrypt)
		if err != nil {
			return nil, err
		}
		frags = append(frags, fragment{name: e.Name(), data: data})
	}
	sort.Slice(frags, func(i, j int) bool { return frags[i].name < frags[j].name })
	return frags, nil
}
