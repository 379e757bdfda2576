package connection

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kevinburke/ssh_config"
)

// settings is everything needed to reach one SSH host, after merging the
// Params, the ssh arguments and ~/.ssh/config the way OpenSSH does: command-line
// options first, then the user's config file, then /etc/ssh/ssh_config.
type settings struct {
	alias          string // the name given (ansible_host), matched against Host patterns
	hostName       string // what is dialled
	port           int
	user           string
	password       string
	identityFiles  []keyFile // configured keys; the default keys are tried when empty
	identitiesOnly bool

	proxyJump    string
	proxyCommand string

	strictHostKeyChecking string   // yes, no, accept-new (ask is treated as yes)
	knownHostsFiles       []string // user files first, then global ones
	hostKeyAlias          string
	hashKnownHosts        bool

	connectTimeout time.Duration
	aliveInterval  time.Duration
	aliveCountMax  int
	network        string // tcp, tcp4 or tcp6

	// cli are the command-line options, inherited by jump hosts for host key
	// checking, identities and timeouts.
	cli *sshOptions
}

// keyFile is a private key file to log in with; a required one that is
// missing or unreadable is an error, others are skipped.
type keyFile struct {
	path     string
	required bool
}

// configSource looks options up in ssh_config files, first file first.
type configSource struct {
	files []*ssh_config.Config
}

// loadConfig reads the user's config file (or the one given with -F) and the
// system one. Missing files are fine; unreadable or malformed ones are errors.
func loadConfig(explicit string) (*configSource, error) {
	var paths []string
	if explicit != "" {
		paths = []string{expandHome(explicit)}
	} else {
		paths = []string{filepath.Join(homeDir(), ".ssh", "config"), "/etc/ssh/ssh_config"}
	}
	src := &configSource{}
	for _, p := range paths {
		f, err := os.Open(p)
		if os.IsNotExist(err) && explicit == "" {
			continue
		}
		if err != nil {
			return nil, err
		}
		cfg, err := ssh_config.Decode(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("ssh config %s: %v", p, err)
		}
		src.files = append(src.files, cfg)
	}
	return src, nil
}

func (c *configSource) get(alias, key string) string {
	for _, f := range c.files {
		if v, err := f.Get(alias, key); err == nil && v != "" {
			return v
		}
	}
	return ""
}

func (c *configSource) getAll(alias, key string) []string {
	var all []string
	for _, f := range c.files {
		v, _ := f.GetAll(alias, key)
		all = append(all, v...)
	}
	return all
}

// paramArgs turns the typed Params into the ssh options Ansible's ssh
// connection plugin puts on the command line, in its order (first one wins).
func paramArgs(p Params) *sshOptions {
	o := &sshOptions{values: map[string]string{}}
	if !p.HostKeyChecking {
		o.set("stricthostkeychecking", "no")
	}
	if p.Port != 0 {
		o.set("port", strconv.Itoa(p.Port))
	}
	o.identityFiles = append(o.identityFiles, p.PrivateKeyFiles...)
	if p.User != "" {
		o.set("user", p.User)
	}
	if p.Timeout > 0 {
		// Whole seconds, as ssh takes them; at least one, since 0 means none.
		o.set("connecttimeout", strconv.Itoa(max(1, int(p.Timeout.Round(time.Second)/time.Second))))
	}
	return o
}

// resolveSettings merges Params, ssh arguments and ssh_config for p.
func resolveSettings(p Params) (*settings, error) {
	cli, err := parseSSHArgs(p.SSHArgs)
	if err != nil {
		return nil, err
	}
	// Ansible puts ssh_args first, then its own options, then the common and
	// extra args; OpenSSH keeps the first value of each option.
	merged := &sshOptions{values: map[string]string{}}
	later, err := parseSSHArgs(p.SSHCommonArgs, p.SSHExtraArgs)
	if err != nil {
		return nil, err
	}
	for _, o := range []*sshOptions{cli, paramArgs(p), later} {
		for k, v := range o.values {
			merged.set(k, v)
		}
		merged.identityFiles = append(merged.identityFiles, o.identityFiles...)
		if merged.configFile == "" {
			merged.configFile = o.configFile
		}
	}
	alias := p.Address
	if alias == "" {
		alias = p.Host
	}
	s, err := settingsFor(alias, merged)
	if err != nil {
		return nil, err
	}
	s.password = p.Password
	return s, nil
}

// settingsFor resolves the settings of the host named alias from the command
// line options cli and the ssh_config files. Jump hosts are resolved with it too.
func settingsFor(alias string, cli *sshOptions) (*settings, error) {
	cfg, err := loadConfig(cli.configFile)
	if err != nil {
		return nil, err
	}
	get := func(key, def string) string {
		if v, ok := cli.values[key]; ok {
			return v
		}
		if v := cfg.get(alias, key); v != "" {
			return v
		}
		return def
	}
	s := &settings{alias: alias, cli: cli}
	s.hostName = expandTokens(get("hostname", alias), alias, "", "", "")
	s.port, err = strconv.Atoi(get("port", "22"))
	if err != nil || s.port <= 0 || s.port > 65535 {
		return nil, fmt.Errorf("bad ssh port %q for %s", get("port", "22"), alias)
	}
	s.user = get("user", localUser())
	portStr := strconv.Itoa(s.port)

	// Keys given to gorun must exist; keys named in ssh_config are skipped
	// when missing, as ssh does, since one config serves many hosts.
	for _, f := range cli.identityFiles {
		s.identityFiles = append(s.identityFiles, keyFile{expandHome(expandTokens(f, alias, s.hostName, portStr, s.user)), true})
	}
	for _, f := range cfg.getAll(alias, "IdentityFile") {
		s.identityFiles = append(s.identityFiles, keyFile{expandHome(expandTokens(f, alias, s.hostName, portStr, s.user)), false})
	}
	s.identitiesOnly = strings.EqualFold(get("identitiesonly", "no"), "yes")

	s.proxyJump = get("proxyjump", "")
	if strings.EqualFold(s.proxyJump, "none") {
		s.proxyJump = ""
	}
	s.proxyCommand = get("proxycommand", "")
	if strings.EqualFold(s.proxyCommand, "none") {
		s.proxyCommand = ""
	}
	if s.proxyCommand != "" {
		s.proxyCommand = expandTokens(s.proxyCommand, alias, s.hostName, portStr, s.user)
	}

	switch v := strings.ToLower(get("stricthostkeychecking", "ask")); v {
	case "yes", "ask":
		s.strictHostKeyChecking = "yes"
	case "no", "off":
		s.strictHostKeyChecking = "no"
	case "accept-new":
		s.strictHostKeyChecking = v
	default:
		return nil, fmt.Errorf("bad StrictHostKeyChecking value %q for %s", v, alias)
	}
	user := get("userknownhostsfile", "~/.ssh/known_hosts ~/.ssh/known_hosts2")
	global := get("globalknownhostsfile", "/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2")
	for _, f := range append(strings.Fields(user), strings.Fields(global)...) {
		s.knownHostsFiles = append(s.knownHostsFiles, expandHome(expandTokens(f, alias, s.hostName, portStr, s.user)))
	}
	s.hostKeyAlias = get("hostkeyalias", "")
	s.hashKnownHosts = strings.EqualFold(get("hashknownhosts", "no"), "yes")

	if s.connectTimeout, err = seconds(get("connecttimeout", "10"), "ConnectTimeout"); err != nil {
		return nil, err
	}
	if s.aliveInterval, err = seconds(get("serveraliveinterval", "15"), "ServerAliveInterval"); err != nil {
		return nil, err
	}
	if s.aliveCountMax, err = strconv.Atoi(get("serveralivecountmax", "3")); err != nil {
		return nil, fmt.Errorf("bad ServerAliveCountMax %q", get("serveralivecountmax", "3"))
	}
	switch strings.ToLower(get("addressfamily", "any")) {
	case "inet":
		s.network = "tcp4"
	case "inet6":
		s.network = "tcp6"
	default:
		s.network = "tcp"
	}
	return s, nil
}

func seconds(v, name string) (time.Duration, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad %s %q: want whole seconds", name, v)
	}
	return time.Duration(n) * time.Second, nil
}

// expandTokens replaces the ssh_config tokens gorun knows: %h host name,
// %p port, %r remote user, %n the name given, %% a percent sign.
func expandTokens(s, alias, host, port, user string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if host == "" {
		host = alias
	}
	r := strings.NewReplacer("%%", "%", "%h", host, "%p", port, "%r", user, "%n", alias, "%d", homeDir(), "%u", localUser())
	return r.Replace(s)
}

// expandHome replaces a leading ~/ with the local user's home directory.
func expandHome(p string) string {
	if p == "~" {
		return homeDir()
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(homeDir(), p[2:])
	}
	return p
}

func homeDir() string {
	if h := os.Getenv("HOME"); h != "" {
		return h
	}
	if u, err := user.Current(); err == nil {
		return u.HomeDir
	}
	return "/"
}

func localUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return os.Getenv("USER")
}
