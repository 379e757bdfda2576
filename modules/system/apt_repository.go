package system

import (
	"context"
	"fmt"
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorun/engine/module"
	"gorun/engine/pytext"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// aptRepositoryModule is ansible.builtin.apt_repository, a port of its
// SourcesList: the one-line sources of /etc/apt/sources.list and
// sources.list.d/*.list, read and rewritten as the Python module does, with
// apt-config giving the paths instead of python3-apt.
type aptRepositoryModule struct{}

func init() { module.Register(aptRepositoryModule{}) }

func (aptRepositoryModule) Doc() *module.Doc { return aptRepositoryDoc }

// aptSource is one line of a sources file as SourcesList._parse splits it.
type aptSource struct {
	n       int
	valid   bool
	enabled bool
	source  string
	comment string
}

// String is the line as SourcesList.dump writes it back.
func (s aptSource) String() string {
	line := s.source
	if !s.enabled {
		line = "# " + line
	}
	if s.comment != "" {
		line += " # " + s.comment
	}
	return line + "\n"
}

// parseAptSource is SourcesList._parse.
func parseAptSource(line string) aptSource {
	s := aptSource{enabled: true}
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "#") {
		s.enabled = false
		line = line[1:]
	}
	if i := strings.Index(line, "#"); i > 0 {
		s.comment = strings.TrimSpace(line[i+1:])
		line = line[:i]
	}
	s.source = strings.TrimSpace(line)
	if chunks := strings.Fields(s.source); len(chunks) > 0 && (chunks[0] == "deb" || chunks[0] == "deb-src") {
		s.valid = true
		s.source = strings.Join(chunks, " ")
	}
	return s
}

// sourcesList is SourcesList: the sources of every file, in load order.
type sourcesList struct {
	defaultFile, partsDir string
	order                 []string
	files                 map[string][]aptSource
	raw                   map[string]string // file contents as read
	newRepos              map[string]bool   // files a source was appended to
}

// readSourcesList loads sources.list and sources.list.d/*.list in one round trip.
func readSourcesList(t *target) (*sourcesList, module.Result, error) {
	o, err := t.Sh(nil, `command -v apt-config >/dev/null || exit 3
eval "$(apt-config shell L Dir::Etc::sourcelist/f P Dir::Etc::sourceparts/d)"
printf '%s\n%s\n' "$L" "$P"
for f in "$L" "${P%/}"/*.list; do test -f "$f" || continue; printf '\000%s\000' "$f"; cat "$f" || exit 4; done`)
	if err != nil {
		return nil, nil, err
	}
	if o.RC == 3 {
		return nil, module.Failed("Module apt_repository is not supported on target."), nil
	}
	if o.RC != 0 {
		return nil, remotecmd.FailRun("reading the apt sources failed: "+strings.TrimSpace(o.Stderr), o), nil
	}
	head, files, _ := strings.Cut(o.Stdout, "\x00")
	paths := strings.Split(strings.TrimSpace(head), "\n")
	if len(paths) != 2 {
		return nil, nil, fmt.Errorf("apt-config: unexpected output %q", head)
	}
	sl := &sourcesList{defaultFile: paths[0], partsDir: paths[1], files: map[string][]aptSource{}, raw: map[string]string{}, newRepos: map[string]bool{}}
	parts := strings.Split(files, "\x00")
	for i := 0; i+1 < len(parts); i += 2 {
		name, content := parts[i], parts[i+1]
		var group []aptSource
		for n, line := range pytext.SplitLines(content) {
			s := parseAptSource(line)
			s.n = n
			group = append(group, s)
		}
		sl.order = append(sl.order, name)
		sl.files[name] = group
		sl.raw[name] = content
	}
	return sl, nil, nil
}

// dump is SourcesList.dump: the text of every file that has lines.
func (sl *sourcesList) dump() map[string]string {
	out := map[string]string{}
	for _, f := range sl.order {
		if len(sl.files[f]) == 0 {
			continue
		}
		var b strings.Builder
		for _, s := range sl.files[f] {
			b.WriteString(s.String())
		}
		out[f] = b.String()
	}
	return out
}

// expandPath is SourcesList._expand_path.
func (sl *sourcesList) expandPath(name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	return strings.TrimSuffix(sl.partsDir, "/") + "/" + name
}

var (
	aptOptionsRE  = regexp.MustCompile(`\[[^\]]+\]`)
	aptSchemeRE   = regexp.MustCompile(`\w+://`)
	aptNonAlnumRE = regexp.MustCompile(`[^a-zA-Z0-9]`)
)

// suggestFilename is SourcesList._suggest_filename.
func suggestFilename(line, filename string) string {
	if filename != "" {
		return filename + ".list"
	}
	line = aptOptionsRE.ReplaceAllString(line, "")
	line = aptSchemeRE.ReplaceAllString(line, "")
	var parts []string
	for _, p := range strings.Fields(line) {
		if p != "deb" && p != "deb-src" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return ".list"
	}
	first := parts[0]
	if i := strings.Index(first, "@"); i >= 0 {
		first = first[i+1:]
	}
	return strings.Join(strings.Fields(aptNonAlnumRE.ReplaceAllString(first, " ")), "_") + ".list"
}

// add is SourcesList._add_valid_source: enable every line with the source,
// or append it to file.
func (sl *sourcesList) add(source, file string) {
	found := false
	for _, f := range sl.order {
		for i, s := range sl.files[f] {
			if s.valid && s.source == source {
				sl.files[f][i].enabled = true
				found = true
			}
		}
	}
	if found {
		return
	}
	file = sl.expandPath(file)
	if _, ok := sl.files[file]; !ok {
		sl.order = append(sl.order, file)
	}
	group := sl.files[file]
	sl.files[file] = append(group, aptSource{n: len(group), valid: true, enabled: true, source: source})
	sl.newRepos[file] = true
}

// remove is SourcesList._remove_valid_source, including the way its loop
// pops by the line's original number while iterating over the list.
func (sl *sourcesList) remove(source string) {
	for _, f := range sl.order {
		group := sl.files[f]
		for i := 0; i < len(group); i++ {
			s := group[i]
			if s.valid && s.enabled && s.source == source && s.n < len(group) {
				group = append(group[:s.n:s.n], group[s.n+1:]...)
			}
		}
		sl.files[f] = group
	}
}

// save is SourcesList.save: rewrite the files whose text changes, set the
// requested mode on files that gained a source, and delete files left
// without lines.
func (sl *sourcesList) save(t *target, mode any) error {
	after := sl.dump()
	for _, f := range sl.order {
		if len(sl.files[f]) == 0 {
			if o, err := t.Run(nil, "rm", "-f", f); err != nil || o.RC != 0 {
				return fmt.Errorf("removing %s: %v %s", f, err, o.Stderr)
			}
			continue
		}
		if raw, ok := sl.raw[f]; !ok || raw != after[f] {
			if o, err := t.Run(nil, "mkdir", "-p", parentDir(f)); err != nil || o.RC != 0 {
				return fmt.Errorf("Failed to create directory %s: %v %s", parentDir(f), err, o.Stderr)
			}
			if err := t.writeFile(f, after[f], "0644"); err != nil {
				return err
			}
		}
		if m := modeArg(mode); m != "" && sl.newRepos[f] {
			if o, err := t.Run(nil, "chmod", m, f); err != nil || o.RC != 0 {
				return fmt.Errorf("chmod %s %s: %v %s", m, f, err, o.Stderr)
			}
		}
	}
	return nil
}

// restore is revert_sources_list: delete the files that were new and put
// the others back as they were.
func (sl *sourcesList) restore(t *target) {
	for _, f := range sl.order {
		if raw, ok := sl.raw[f]; !ok {
			t.Run(nil, "rm", "-f", f)
		} else {
			t.writeFile(f, raw, "0644")
		}
	}
}

// parentDir is os.path.dirname.
func parentDir(p string) string {
	i := strings.LastIndex(p, "/")
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// modeArg is a raw mode option as chmod takes it: an int is octal, a
// string is passed as it is (octal digits or symbolic), nil is "".
func modeArg(mode any) string {
	switch m := mode.(type) {
	case nil:
		return ""
	case int:
		return fmt.Sprintf("%o", m)
	case float64:
		return fmt.Sprintf("%o", int(m))
	default:
		return fmt.Sprint(m)
	}
}

func (aptRepositoryModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	t := newTarget(ctx, call)
	repo, state := call.Args.String("repo"), call.Args.String("state")
	if repo == "" {
		return module.Failed("Please set argument 'repo' to a non-empty value"), nil
	}
	if strings.HasPrefix(repo, "ppa:") {
		return module.Failed("gorun's apt_repository does not support PPA repositories (ppa:...) yet: add the deb line and its key with apt_key or get_url instead"), nil
	}
	sl, fail, err := readSourcesList(t)
	if err != nil || fail != nil {
		return fail, err
	}
	src := parseAptSource(repo)
	if !src.valid || !src.enabled {
		line := strings.TrimSpace(repo)
		line = strings.TrimPrefix(line, "#")
		if i := strings.Index(line, "#"); i > 0 {
			line = line[:i]
		}
		return module.Failed("Invalid repository string: " + line), nil
	}
	before := sl.dump()
	if state == "present" {
		sl.add(src.source, suggestFilename(src.source, call.Args.String("filename")))
	} else {
		sl.remove(src.source)
	}
	after := sl.dump()
	changed := !sameStrings(before, after)
	var diff any = map[string]any{}
	if changed && call.Diff {
		var list []any
		for _, f := range slices.Sorted(slices.Values(sl.order)) {
			b, inBefore := before[f]
			a, inAfter := after[f]
			if !inBefore && !inAfter {
				continue
			}
			bh, ah := f, f
			if !inBefore {
				bh = "/dev/null"
			}
			if !inAfter {
				ah = "/dev/null"
			}
			list = append(list, map[string]any{"before": b, "after": a, "before_header": bh, "after_header": ah})
		}
		diff = list
	}
	res := module.Result{"changed": changed, "repo": repo, "state": state, "diff": diff}
	if !changed || call.Check {
		return res, nil
	}
	if err := sl.save(t, call.Args["mode"]); err != nil {
		sl.restore(t)
		return module.Failed(err.Error()), nil
	}
	if call.Args.Bool("update_cache") {
		if msg := aptUpdateWithRetries(t, call.Args.Int("update_cache_retries"), call.Args.Int("update_cache_retry_max_delay")); msg != "" {
			sl.restore(t)
			return module.Failed("Failed to update apt cache: " + msg), nil
		}
	}
	return res, nil
}

// sameStrings reports whether two string maps are equal.
func sameStrings(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// aptUpdateWithRetries runs apt-get update up to retries times with the
// module's exponential backoff; it returns "" on success, else the last error.
func aptUpdateWithRetries(t *target, retries, maxDelay int) string {
	errText := "unknown reason"
	randomize := float64(rand.Intn(1001)) / 1000
	for retry := 0; retry < retries; retry++ {
		o, err := t.Sh(map[string]string{"DEBIAN_FRONTEND": "noninteractive"}, shell.Join([]string{"apt-get", "update", "-q"}))
		if err != nil {
			return err.Error()
		}
		if o.RC == 0 {
			return ""
		}
		errText = strings.TrimSpace(o.Stderr)
		delay := float64(int(1)<<retry) + randomize
		if delay > float64(maxDelay) {
			delay = float64(maxDelay) + randomize
		}
		select {
		case <-t.Ctx.Done():
			return t.Ctx.Err().Error()
		case <-time.After(time.Duration(delay * float64(time.Second))):
		}
	}
	return errText
}

var aptRepositoryDoc = &module.Doc{
	Name:  "apt_repository",
	Names: []string{"ansible.builtin.apt_repository"},
	Short: "Add and remove APT repositories",
	Description: []string{
		"Add or remove an APT repositories in Ubuntu and Debian.",
	},
	Options: []module.Option{
		{Name: "codename", Description: "Override the distribution codename to use for PPA repositories. Should usually only be set when working with a PPA on a non-Ubuntu target (for example, Debian or Mint)."},
		{Name: "filename", Description: "Sets the name of the source list file in sources.list.d. Defaults to a file name based on the repository source url. The .list extension will be automatically added."},
		{Name: "install_python_apt", Type: "bool", Default: true, Description: "Whether to automatically try to install the Python apt library or not, if it is not already installed. gorun needs no Python on the target and ignores it."},
		{Name: "mode", Type: "raw", Description: "The octal mode for newly created files in sources.list.d. Default is what system uses (probably 0644)."},
		{Name: "repo", Required: true, Description: "A source string for the repository."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "A source string state."},
		{Name: "update_cache", Type: "bool", Aliases: []string{"update-cache"}, Default: true, Description: "Run the equivalent of C(apt-get update) when a change occurs.  Cache updates are run after making changes."},
		{Name: "update_cache_retries", Type: "int", Default: 5, Description: "Amount of retries if the cache update fails. Also see I(update_cache_retry_max_delay)."},
		{Name: "update_cache_retry_max_delay", Type: "int", Default: 12, Description: "Use an exponential backoff delay for each retry (see I(update_cache_retries)) up to this max delay in seconds."},
		{Name: "validate_certs", Type: "bool", Default: true, Description: "If C(false), SSL certificates for the target repo will not be validated. This should only be used on personally controlled sites using self-signed certificates."},
	},
	Check: module.Full,
	Diff:  module.Full,
	Notes: []string{
		"This module supports Debian Squeeze (version 6) as well as its successors and derivatives.",
		"gorun: PPA repositories (ppa:OWNER/NAME) are not supported yet and fail with a message saying so; the cache update runs apt-get update.",
	},
	Examples: `- name: Add specified repository into sources list
  ansible.builtin.apt_repository:
    repo: deb http://archive.canonical.com/ubuntu hardy partner
    state: present

- name: Add specified repository into sources list using specified filename
  ansible.builtin.apt_repository:
    repo: deb http://dl.google.com/linux/chrome/deb/ stable main
    state: present
    filename: google-chrome

- name: Add source repository into sources list
  ansible.builtin.apt_repository:
    repo: deb-src http://archive.canonical.com/ubuntu hardy partner
    state: present

- name: Remove specified repository from sources list
  ansible.builtin.apt_repository:
    repo: deb http://archive.canonical.com/ubuntu hardy partner
    state: absent

- name: One way to avoid apt_key once it is removed from your distro
  block:
    - name: somerepo |no apt key
      ansible.builtin.get_url:
        url: https://download.example.com/linux/ubuntu/gpg
        dest: /etc/apt/trusted.gpg.d/somerepo.asc

    - name: somerepo | apt source
      ansible.builtin.apt_repository:
        repo: "deb [arch=amd64 signed-by=/etc/apt/trusted.gpg.d/myrepo.asc] https://download.example.com/linux/ubuntu {{ ansible_distribution_release }} stable"
        state: present`,
	Returns: []module.Return{
		{Name: "repo", Description: "The repository line as given.", Returned: "success", Type: "str"},
		{Name: "state", Description: "The state requested.", Returned: "success", Type: "str"},
	},
}
