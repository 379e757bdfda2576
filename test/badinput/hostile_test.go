package badinput

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/test/e2e"
	"gorun/test/labenv"
)

// hostileNames are file names and arguments a shell would misread. Each
// one that reaches a shell unquoted creates ~/pwned (/root/pwned) or splits
// into other words. $VAR and a leading ~ are left out: Ansible expands
// those itself in path options and command arguments (os.path.expandvars
// and expanduser), so they are not literal there.
var hostileNames = []string{
	"sp ace", "q'uote", `dq"uote`, "$(touch pwned)", "`touch pwned`",
	"semi;touch pwned", "amp&&touch pwned", "new\nline", "-rf", "--help",
	"glob*?[a]", "tab\there", "back\\slash", "{a,b}", "a>b<c|d", "star*",
}

// hostilePlay sends every name through the modules that take paths,
// arguments and content, and fetches the files back.
const hostilePlay = `- hosts: lab
  gather_facts: false
  tasks:
    - file: {path: /root/hostile, state: directory}
    - copy: {content: "{{ item }}", dest: "/root/hostile/c-{{ item }}"}
      loop: "{{ names }}"
    - file: {path: "/root/hostile/t-{{ item }}", state: touch}
      loop: "{{ names }}"
    - lineinfile: {path: "/root/hostile/l-{{ item }}", line: "{{ item }}", create: true}
      loop: "{{ names }}"
    - template: {src: name.j2, dest: "/root/hostile/j-{{ item }}"}
      loop: "{{ names }}"
    - command: {argv: [printf, "%s", "{{ item }}"]}
      loop: "{{ names }}"
      register: printed
      changed_when: false
    - command: printf %s {{ item | quote }}
      loop: "{{ names }}"
      register: quoted
      changed_when: false
    - command: {cmd: "cat -- {{ item | quote }}", chdir: /root/hostile}
      loop: "{{ names | map('regex_replace', '^', 'c-') | list }}"
      register: catted
      changed_when: false
    - copy: {src: bytes.bin, dest: /root/hostile/bytes.bin}
    - fetch: {src: "/root/hostile/c-{{ item }}", dest: fetched}
      loop: "{{ names }}"
    - fetch: {src: /root/hostile/bytes.bin, dest: fetched}
    - copy:
        dest: /root/hostile/results.json
        content: "{{ {'printed': printed.results | map(attribute='stdout') | list, 'quoted': quoted.results | map(attribute='stdout') | list, 'catted': catted.results | map(attribute='stdout') | list} | to_json }}"
`

// nonUTF8 are bytes that are not UTF-8, which copy and fetch must carry
// unchanged.
var nonUTF8 = []byte("\xff\xfe\x00\x80 latin-1: \xe9\xe8, a lone \xc3 and \r\n\x1b[31m")

func TestHostileValuesAreNotInterpreted(t *testing.T) {
	lab := labenv.ForTest(t, 1)
	dir := t.TempDir()
	if err := lab.WriteInventory(filepath.Join(dir, "hosts"), "ini"); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "site.yml", hostilePlay)
	write(t, dir, "name.j2", "{{ item }}")
	if err := os.WriteFile(filepath.Join(dir, "bytes.bin"), nonUTF8, 0o644); err != nil {
		t.Fatal(err)
	}
	names, _ := json.Marshal(map[string]any{"names": hostileNames})
	write(t, dir, "names.json", string(names))
	res := e2e.Run(t, e2e.Gorun(t), []string{"-i", "hosts", "site.yml", "-e", "@names.json"}, e2e.Options{Dir: dir})
	if res.ExitCode != 0 {
		t.Fatalf("exit %d\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
	}
	upper := lab.Hosts[0].UpperDir
	if _, err := os.Lstat(filepath.Join(upper, "root/pwned")); err == nil {
		t.Errorf("a shell ran part of a hostile value: /root/pwned exists")
	}
	for _, name := range hostileNames {
		for _, prefix := range []string{"c-", "l-", "j-"} {
			data, err := os.ReadFile(filepath.Join(upper, "root/hostile", prefix+name))
			want := name
			if prefix == "l-" {
				want += "\n"
			}
			if err != nil || string(data) != want {
				t.Errorf("%s%q: %q, %v; want the name itself", prefix, name, data, err)
			}
		}
		if _, err := os.Lstat(filepath.Join(upper, "root/hostile", "t-"+name)); err != nil {
			t.Errorf("file state=touch %q: %v", name, err)
		}
		fetched, err := os.ReadFile(filepath.Join(dir, "fetched/h1/root/hostile", "c-"+name))
		if err != nil || string(fetched) != name {
			t.Errorf("fetch %q: %q, %v", name, fetched, err)
		}
	}
	if got, err := os.ReadFile(filepath.Join(upper, "root/hostile/bytes.bin")); err != nil || !bytes.Equal(got, nonUTF8) {
		t.Errorf("copy of non-UTF-8 bytes: %q, %v", got, err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "fetched/h1/root/hostile/bytes.bin")); err != nil || !bytes.Equal(got, nonUTF8) {
		t.Errorf("fetch of non-UTF-8 bytes: %q, %v", got, err)
	}
	var out map[string][]string
	data, err := os.ReadFile(filepath.Join(upper, "root/hostile/results.json"))
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	if err != nil {
		t.Fatalf("results.json: %v", err)
	}
	for key, got := range out {
		if strings.Join(got, "\x00") != strings.Join(hostileNames, "\x00") {
			t.Errorf("%s: the commands printed %q, want %q", key, got, hostileNames)
		}
	}
}

// TestTraversalIsRefused checks that ".." cannot carry a write outside its
// destination: archive entries that climb out of unarchive's dest, through
// a "../" name or through a symlink the archive itself made, and a fetch
// whose remote path would climb out of its local dest.
func TestTraversalIsRefused(t *testing.T) {
	lab := labenv.ForTest(t, 1)
	dir := t.TempDir()
	if err := lab.WriteInventory(filepath.Join(dir, "hosts"), "ini"); err != nil {
		t.Fatal(err)
	}
	writeTar(t, filepath.Join(dir, "dotdot.tgz"), []tarEntry{{name: "ok"}, {name: "../escaped-dotdot"}})
	writeTar(t, filepath.Join(dir, "symlink.tgz"), []tarEntry{{name: "link", link: "/root"}, {name: "link/escaped-symlink"}})
	for _, c := range []struct{ name, task string }{
		{"unarchive ../", `unarchive: {src: dotdot.tgz, dest: /root/unarch}`},
		{"unarchive through a symlink", `unarchive: {src: symlink.tgz, dest: /root/unarch}`},
		{"fetch ..", `fetch: {src: "/etc/../../../../../etc/hostname", dest: fetched}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			write(t, dir, "site.yml", "- hosts: lab\n  gather_facts: false\n  tasks:\n    - file: {path: /root/unarch, state: directory}\n    - "+c.task+"\n")
			res := e2e.Run(t, e2e.Gorun(t), []string{"-i", "hosts", "site.yml"}, e2e.Options{Dir: dir})
			if res.ExitCode != 2 || !strings.Contains(res.Stdout, "fatal: [h1]: FAILED!") {
				t.Errorf("exit %d: the traversal was not refused\n%s%s", res.ExitCode, res.Stdout, res.Stderr)
			}
		})
	}
	upper := lab.Hosts[0].UpperDir
	for _, p := range []string{"root/escaped-dotdot", "root/escaped-symlink"} {
		if _, err := os.Lstat(filepath.Join(upper, p)); err == nil {
			t.Errorf("unarchive wrote /%s outside its destination", p)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "etc/hostname")); err == nil {
		t.Errorf("fetch wrote %s outside its destination", filepath.Join(dir, "etc/hostname"))
	}
}

type tarEntry struct{ name, link string }

// writeTar writes a gzipped tar of the entries: symlinks when link is
// set, else small files.
func writeTar(t *testing.T, path string, entries []tarEntry) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: 2, Typeflag: tar.TypeReg}
		if e.link != "" {
			h = &tar.Header{Name: e.name, Mode: 0o777, Typeflag: tar.TypeSymlink, Linkname: e.link}
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.link == "" {
			tw.Write([]byte("x\n"))
		}
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
