package config

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// dumped is one setting as `ansible-config dump --format json` reports it.
type dumped struct {
	Value  any    `json:"value"`
	Origin string `json:"origin"`
}

// ansibleDump runs the real ansible-config dump -t all in dir with exactly
// the environment env, and returns the settings by Config's names.
func ansibleDump(t *testing.T, dir string, env map[string]string) (map[string]dumped, string) {
	t.Helper()
	bin, err := exec.LookPath("ansible-config")
	if err != nil {
		t.Skip("ansible-config is not installed")
	}
	cmd := exec.Command(bin, "dump", "-t", "all", "--format", "json")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, errb.String()
	}
	var raw []map[string]any
	if err := json.Unmarshal(out.Bytes(), &raw); err != nil {
		t.Fatalf("ansible-config output: %v", err)
	}
	res := map[string]dumped{}
	add := func(prefix string, e any) {
		m := e.(map[string]any)
		origin, _ := m["origin"].(string)
		res[prefix+m["name"].(string)] = dumped{m["value"], origin}
	}
	for _, e := range raw {
		if _, ok := e["name"]; ok {
			add("", e)
			continue
		}
		for key, plugins := range e { // {"CONNECTION_PLUGINS": [{"ssh": [...]}]}
			typ := strings.ToLower(strings.TrimSuffix(key, "_PLUGINS"))
			for _, p := range plugins.([]any) {
				for name, opts := range p.(map[string]any) {
					for _, o := range opts.([]any) {
						add(typ+"."+name+".", o)
					}
				}
			}
		}
	}
	return res, errb.String()
}

// setEnv gives the test process exactly the ANSIBLE_* variables of env
// (plus HOME), clearing any others.
func setEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "ANSIBLE_") || k == "NO_COLOR" {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// compareWithAnsible loads gorun's config in dir with env and compares
// every setting gorun knows with ansible-config's value and origin.
func compareWithAnsible(t *testing.T, dir string, env map[string]string) *Config {
	t.Helper()
	want, stderr := ansibleDump(t, dir, env)
	if want == nil {
		t.Fatalf("ansible-config failed: %s", stderr)
	}
	setEnv(t, env)
	t.Chdir(dir)
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings() {
		name := s.FullName()
		if strings.HasPrefix(name, "_") {
			continue // private settings are not dumped
		}
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: not in ansible-config dump", name)
			continue
		}
		got, _ := c.Get(name)
		if s.Type == "tmppath" {
			// Ansible creates ansible-local-PID* inside the directory.
			if gs, _ := got.(string); filepath.Dir(w.Value.(string)) != gs {
				t.Errorf("%s = %v, ansible-config has %v inside it", name, got, w.Value)
			}
		} else if !sameJSON(got, w.Value) {
			t.Errorf("%s = %#v, ansible-config says %#v", name, got, w.Value)
		}
		if origin := c.Origin(name); origin != w.Origin {
			t.Errorf("%s origin %q, ansible-config says %q", name, origin, w.Origin)
		}
	}
	return c
}

// sameJSON compares a Go value with a decoded JSON value.
func sameJSON(got, want any) bool {
	b, err := json.Marshal(got)
	if err != nil {
		return false
	}
	var g any
	json.Unmarshal(b, &g)
	return reflect.DeepEqual(g, want)
}

func TestDefaultsMatchAnsible(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	c := compareWithAnsible(t, dir, map[string]string{"HOME": home})
	if c.File() != "" {
		t.Errorf("File() = %q with no config file", c.File())
	}
	if c.Int("DEFAULT_FORKS") != 5 || !c.Bool("HOST_KEY_CHECKING") {
		t.Errorf("forks %d, host_key_checking %v", c.Int("DEFAULT_FORKS"), c.Bool("HOST_KEY_CHECKING"))
	}
	if got := c.List("DEFAULT_ROLES_PATH"); len(got) != 3 || got[0] != filepath.Join(home, ".ansible/roles") {
		t.Errorf("DEFAULT_ROLES_PATH = %q", got)
	}
}

const sampleCfg = `# a comment
; another comment
[DEFAULT]
timeout = 33

[defaults]
forks = 20
host_key_checking: False
roles_path = roles:~/more_roles:$MY_ROLES/x
inventory = hosts, ./other
callbacks_enabled = timer, 'profile_tasks' ; inline comment
remote_user = "deploy"
no_such_setting = ignored
stdout_callback = yaml;not a comment
nocolor = yes
vault_password_file = secret/pw
log_path = ~/ansible.log
strategy =
module_args = first line
   second line

   third line

[ssh_connection]
ssh_args = -o ControlMaster=auto -o ControlPersist=60s
pipelining = True
retries = 3
scp_if_ssh = smart
control_path = %(directory)s/%%h-%%r

[privilege_escalation]
become = true
become_user = admin

[persistent_connection]
connect_timeout = 45

[sudo_become_plugin]
flags = -H -S

[some_unknown_section]
a = b
`

func TestConfigFileMatchesAnsible(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ansible.cfg"), []byte(sampleCfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c := compareWithAnsible(t, dir, map[string]string{"HOME": home, "MY_ROLES": "/srv/roles"})
	if c.File() != filepath.Join(dir, "ansible.cfg") {
		t.Errorf("File() = %q", c.File())
	}
	if c.Int("DEFAULT_FORKS") != 20 || c.Origin("DEFAULT_FORKS") != c.File() {
		t.Errorf("forks %d from %q", c.Int("DEFAULT_FORKS"), c.Origin("DEFAULT_FORKS"))
	}
	if c.String("connection.ssh.ssh_args") != "-o ControlMaster=auto -o ControlPersist=60s" {
		t.Errorf("ssh_args = %q", c.String("connection.ssh.ssh_args"))
	}
}

func TestEnvironmentMatchesAnsible(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	cfgDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(cfgDir, "ansible.cfg"), []byte(sampleCfg), 0o644); err != nil {
		t.Fatal(err)
	}
	// A world-writable cwd with an ansible.cfg that must be ignored.
	if err := os.WriteFile(filepath.Join(dir, "ansible.cfg"), []byte("[defaults]\nforks = 99\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777)
	env := map[string]string{
		"HOME":                    home,
		"ANSIBLE_CONFIG":          cfgDir, // a directory means its ansible.cfg
		"ANSIBLE_FORKS":           "7",
		"ANSIBLE_HOME":            filepath.Join(home, "elsewhere"),
		"ANSIBLE_TIMEOUT":         "", // empty for an integer: the default
		"ANSIBLE_PIPELINING":      "",
		"ANSIBLE_SSH_ARGS":        "-C",
		"ANSIBLE_COW_WHITELIST":   "a,b",
		"ANSIBLE_COW_ACCEPTLIST":  "c", // the last env name listed wins
		"ANSIBLE_SSH_RETRIES":     "5",
		"ANSIBLE_BECOME_USER":     "'quoted'",
		"ANSIBLE_ROLES_PATH":      "~/r1:r2",
		"ANSIBLE_STDOUT_CALLBACK": "json",
	}
	c := compareWithAnsible(t, dir, env)
	if c.File() != filepath.Join(cfgDir, "ansible.cfg") {
		t.Errorf("File() = %q", c.File())
	}
	if c.Origin("DEFAULT_FORKS") != "env: ANSIBLE_FORKS" {
		t.Errorf("origin %q", c.Origin("DEFAULT_FORKS"))
	}
	_, stderr := ansibleDump(t, dir, env)
	if n := strings.Count(stderr, "[DEPRECATION WARNING]"); n != len(c.Deprecations()) {
		t.Errorf("%d deprecations %q, ansible-config printed %d: %s", len(c.Deprecations()), c.Deprecations(), n, stderr)
	}
	for _, d := range c.Deprecations() {
		if !strings.Contains(squash(stderr), squash("[DEPRECATION WARNING]: "+d)) {
			t.Errorf("deprecation %q not in ansible-config's output:\n%s", d, stderr)
		}
	}

	// Without ANSIBLE_CONFIG the world-writable cwd is skipped with a warning.
	delete(env, "ANSIBLE_CONFIG")
	_, stderr = ansibleDump(t, dir, env)
	setEnv(t, env)
	t.Chdir(dir)
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if c.File() != "" || len(c.Warnings()) != 1 || !strings.Contains(squash(stderr), squash(c.Warnings()[0])) {
		t.Errorf("file %q, warnings %q; ansible-config said %q", c.File(), c.Warnings(), stderr)
	}
}

// TestErrorsMatchAnsible compares failures with ansible-config's messages.
func TestErrorsMatchAnsible(t *testing.T) {
	cases := map[string]struct {
		cfg string
		env map[string]string
	}{
		"bad int in file":   {cfg: "[defaults]\nforks = many\n"},
		"bad int in env":    {cfg: "[defaults]\n", env: map[string]string{"ANSIBLE_FORKS": "1.5"}},
		"bad choice":        {cfg: "[defaults]\nstrategy_plugins = x\n[colors]\n", env: map[string]string{"ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "x", "ANSIBLE_DUPLICATE_YAML_DICT_KEY": "explode"}},
		"no section":        {cfg: "forks = 3\n"},
		"no delimiter":      {cfg: "[defaults]\nforks\n"},
		"duplicate key":     {cfg: "[defaults]\nforks = 3\nFORKS = 4\n"},
		"duplicate section": {cfg: "[defaults]\n[ssh_connection]\n[defaults]\n"},
		"bad float":         {cfg: "[persistent_connection]\n[defaults]\n", env: map[string]string{"ANSIBLE_PARAMIKO_BANNER_TIMEOUT": "soon"}},
	}
	for name, tc := range cases {
		dir := t.TempDir()
		f := filepath.Join(dir, "ansible.cfg")
		if err := os.WriteFile(f, []byte(tc.cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"HOME": dir}
		for k, v := range tc.env {
			env[k] = v
		}
		_, stderr := ansibleDump(t, dir, env)
		setEnv(t, env)
		t.Chdir(dir)
		_, err := Load()
		if err == nil {
			t.Errorf("%s: no error; ansible-config said %q", name, stderr)
			continue
		}
		t.Logf("%s: %v", name, err)
		if !strings.Contains(stderr, err.Error()) {
			t.Errorf("%s:\ngorun:   %v\nansible: %s", name, err, stderr)
		}
	}
}

// squash removes all white space, to compare text that Ansible wraps.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func writeText(path, text string) error { return os.WriteFile(path, []byte(text), 0o644) }

// TestResolveWithVars checks per-host overrides by variables and the
// command line over env, ini and default.
func TestResolveWithVars(t *testing.T) {
	setEnv(t, map[string]string{"ANSIBLE_SSH_ARGS": "-C"})
	c, err := LoadFile("")
	if err != nil {
		t.Fatal(err)
	}
	hostVars := map[string]any{"ansible_ssh_args": "-o X=1", "ansible_port": "2222", "ansible_host_key_checking": false}
	vars := func(n string) (any, bool) { v, ok := hostVars[n]; return v, ok }
	cases := []struct {
		name   string
		want   any
		origin string
	}{
		{"connection.ssh.ssh_args", "-o X=1", "var: ansible_ssh_args"},
		{"connection.ssh.port", 2222, "var: ansible_port"},
		{"connection.ssh.host_key_checking", false, "var: ansible_host_key_checking"},
		{"connection.ssh.ssh_common_args", "", "default"},
	}
	for _, tc := range cases {
		got, origin, err := c.Resolve(tc.name, vars, nil, nil)
		if err != nil || !reflect.DeepEqual(got, tc.want) || origin != tc.origin {
			t.Errorf("%s = %#v from %q (%v), want %#v from %q", tc.name, got, origin, err, tc.want, tc.origin)
		}
	}
	cli := func(n string) (any, bool) { return "/keys/id", n == "private_key_file" }
	if got, origin, _ := c.Resolve("connection.ssh.private_key_file", nil, nil, cli); got != "/keys/id" || origin != "cli: private_key_file" {
		t.Errorf("private_key_file = %v from %q", got, origin)
	}
	if _, _, err := c.Resolve("connection.ssh.port", func(string) (any, bool) { return "many", true }, nil, nil); err == nil ||
		err.Error() != "Invalid type for configuration option plugin_type: connection plugin: ssh setting: port (from var: ansible_ssh_port): invalid literal for int() with base 10: 'many'" {
		t.Errorf("bad port: %v", err)
	}
}
