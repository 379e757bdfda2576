package facts

import (
	"strconv"
	"strings"
)

// raw is the target's output of facts.sh, split into its sections.
type raw struct {
	files  map[string]string // "file PATH": contents of readable files
	cmds   map[string]string // "cmd NAME": a command's stdout
	rcs    map[string]int    // "rc NAME": its exit status
	links  map[string]string // "link PATH": readlink
	reals  map[string]string // "realpath PATH": readlink -f
	exists map[string]bool   // paths that exist
	bins   map[string]bool   // programs found in $PATH
	other  map[string]string // any other section, by name
	ifaces []string          // network interfaces, in the order of /sys/class/net/*
	local  []localFact       // fact_path/*.fact, in glob order
	ended  bool              // the "end" section was seen: the script ran to the end

	blockOrder  []string // /sys/block entries, in directory order
	hasBlocks   bool     // the block device sections were gathered
	holderOrder []string // holders/* paths, in the order listed
}

// localFact is one fact_path/*.fact file: its contents, or what running it gave.
type localFact struct {
	path   string
	exec   bool
	out    string
	rc     int
	stderr string
}

// parseRaw splits the script's stdout into sections. Each section starts with
// "\n" + marker + " " + name + "\n" and runs to the next one.
func parseRaw(out, marker string) *raw {
	r := &raw{files: map[string]string{}, cmds: map[string]string{}, rcs: map[string]int{},
		links: map[string]string{}, reals: map[string]string{}, exists: map[string]bool{},
		bins: map[string]bool{}, other: map[string]string{}}
	sep := "\n" + marker + " "
	parts := strings.Split(out, sep)
	localIndex := map[string]int{}
	var attrPaths []string // the files of the last "attrs" section
	for _, part := range parts[1:] {
		name, body, _ := strings.Cut(part, "\n")
		kind, arg, _ := strings.Cut(name, " ")
		switch kind {
		case "file":
			r.files[arg] = body
		case "unreadable":
			delete(r.files, arg)
		case "attrs":
			attrPaths = lines(body)
			for _, p := range attrPaths {
				r.files[p] = ""
			}
		case "attrdata":
			r.readAttrs(attrPaths, body)
		case "cmd":
			r.cmds[arg] = body
		case "rc":
			r.rcs[arg], _ = strconv.Atoi(strings.TrimSpace(body))
		case "link":
			r.links[arg] = strings.TrimRight(body, "\n")
		case "realpath":
			r.reals[arg] = strings.TrimRight(body, "\n")
		case "exists":
			for _, p := range lines(body) {
				r.exists[p] = true
			}
		case "bins":
			for _, p := range lines(body) {
				r.bins[p] = true
			}
		case "iface":
			r.ifaces = append(r.ifaces, arg)
		case "local-file", "local-exec":
			localIndex[arg] = len(r.local)
			r.local = append(r.local, localFact{path: arg, exec: kind == "local-exec", out: body})
		case "local-rc":
			if i, ok := localIndex[arg]; ok {
				r.local[i].rc, _ = strconv.Atoi(strings.TrimSpace(body))
			}
		case "local-err":
			if i, ok := localIndex[arg]; ok {
				r.local[i].stderr = body
			}
		case "block":
			r.blockOrder = append(r.blockOrder, arg)
			r.hasBlocks = true
			r.other[name] = body
		case "holder":
			r.holderOrder = append(r.holderOrder, arg)
			r.other[name] = body
		case "masters":
			r.hasBlocks = true
			r.other[name] = body
		case "end":
			r.ended = true
		default:
			r.other[name] = body
		}
	}
	return r
}

// readAttrs spreads grep -H output ("PATH:LINE" per line, files in the
// order of paths) over the files. A file's lines are joined with newlines;
// its last newline is lost, which the callers' stripping makes no matter.
func (r *raw) readAttrs(paths []string, body string) {
	i := 0
	var text []string // the lines of paths[i] so far
	flush := func() {
		if i < len(paths) && len(text) > 0 {
			r.files[paths[i]] = strings.Join(text, "\n")
		}
		text = text[:0]
	}
	for _, line := range strings.Split(body, "\n") {
		if i < len(paths) && strings.HasPrefix(line, paths[i]+":") {
			text = append(text, line[len(paths[i])+1:])
			continue
		}
		flush()
		for i < len(paths) && !strings.HasPrefix(line, paths[i]+":") {
			i++
		}
		if i == len(paths) {
			return
		}
		text = append(text, line[len(paths[i])+1:])
	}
	flush()
}

// file returns a file's contents stripped of surrounding whitespace, as
// Ansible's get_file_content does, and whether the file could be read.
func (r *raw) file(path string) (string, bool) {
	s, ok := r.files[path]
	return strings.TrimSpace(s), ok
}

// fileLines returns a file's lines as get_file_lines does (nil when unreadable).
func (r *raw) fileLines(path string) []string {
	s, ok := r.file(path)
	if !ok || s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// cmd returns a command's stdout when it ran with exit status 0.
func (r *raw) cmd(name string) (string, bool) {
	out, ok := r.cmds[name]
	if !ok || r.rcs[name] != 0 {
		return out, false
	}
	return out, true
}

// lines splits s into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// unameInfo is what uname(1) says about the target.
type unameInfo struct{ system, node, release, version, machine string }

// uname splits `uname -snrvm`: the version, which may hold blanks, is what
// lies between the release and the machine.
func (r *raw) uname() unameInfo {
	out, ok := r.cmd("uname")
	line := strings.TrimRight(out, "\n")
	f := strings.Fields(line)
	if !ok || len(f) < 4 {
		return unameInfo{}
	}
	u := unameInfo{system: f[0], node: f[1], release: f[2], machine: f[len(f)-1]}
	head := f[0] + " " + f[1] + " " + f[2] + " "
	if strings.HasPrefix(line, head) && strings.HasSuffix(line, " "+u.machine) && len(line) > len(head)+len(u.machine) {
		u.version = line[len(head) : len(line)-len(u.machine)-1]
	}
	return u
}
