package rhel

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
	"gorun/modules/internal/remotefile"
)

// yumRepositoryModule is ansible.builtin.yum_repository: one [repoid]
// section of a .repo file under reposdir, read and written as Python's
// configparser does, so that the file's bytes match Ansible's.
type yumRepositoryModule struct{}

func init() { module.Register(yumRepositoryModule{}) }

func (yumRepositoryModule) Doc() *module.Doc { return yumRepositoryDoc }

// repoKeys are the options yum_repository writes into the section (its
// allowed_params); "name" is the description option, renamed.
var repoKeys = []string{
	"async", "bandwidth", "baseurl", "cost", "deltarpm_metadata_percentage",
	"deltarpm_percentage", "enabled", "enablegroups", "exclude", "failovermethod",
	"gpgcakey", "gpgcheck", "gpgkey", "module_hotfixes", "http_caching", "include",
	"includepkgs", "ip_resolve", "keepalive", "keepcache", "metadata_expire",
	"metadata_expire_filter", "metalink", "mirrorlist", "mirrorlist_expire", "name",
	"password", "priority", "protect", "proxy", "proxy_password", "proxy_username",
	"repo_gpgcheck", "retries", "s3_enabled", "skip_if_unavailable", "sslcacert",
	"ssl_check_cert_permissions", "sslclientcert", "sslclientkey", "sslverify",
	"throttle", "timeout", "ui_repoid_vars", "username",
}

func (yumRepositoryModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	if a.Has("params") {
		return module.Failed("The params option to yum_repository was removed in Ansible 2.5 since it circumvents Ansible's option handling"), nil
	}
	if r := unsupportedFileOptions(a); r != nil {
		return r, nil
	}
	repoid, state := a.String("name"), a.String("state")
	if state == "present" {
		if !a.Has("baseurl") && !a.Has("metalink") && !a.Has("mirrorlist") {
			return module.Failed("Parameter 'baseurl', 'metalink' or 'mirrorlist' is required."), nil
		}
		if !a.Has("description") {
			return module.Failed("Parameter 'description' is required."), nil
		}
	}
	file := repoid
	if a.Has("file") {
		file = a.String("file")
	}
	reposdir := a.String("reposdir")
	dest := path.Join(reposdir, file+".repo")

	t := remotecmd.New(ctx, call)
	text, exists, err := readRepoFile(t, reposdir, dest)
	if err != nil {
		if _, ok := err.(noRepoDir); ok {
			return module.Failed(err.Error()), nil
		}
		return nil, err
	}
	conf, err := parseConfig(dest, text)
	if err != nil {
		return module.Failed(err.Error()), nil
	}
	before := conf.dump()
	conf.remove(repoid)
	if state == "present" {
		setRepoOptions(conf.add(repoid), a)
	}
	after := conf.dump()
	changed := before != after
	res := module.Result{"repo": repoid, "state": state, "diff": map[string]any{
		"before_header": dest, "before": before, "after_header": dest, "after": after,
	}}
	if changed && !call.Check {
		if err := saveRepoFile(ctx, t, conf, dest); err != nil {
			return module.Failed(err.Error()), nil
		}
		exists = len(conf.sections) > 0
	}
	if exists {
		attrsChanged, err := applyFileAttrs(ctx, call, dest)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		changed = changed || attrsChanged
	}
	res["changed"] = changed
	return res, nil
}

// setRepoOptions fills a new section from the task's arguments as
// YumRepo.add does: sorted by key, lists joined (baseurl and gpgkey with
// newlines, exclude and includepkgs with spaces), booleans as 1 and 0.
func setRepoOptions(s *configSection, a module.Args) {
	keys := append([]string(nil), repoKeys...)
	sort.Strings(keys)
	for _, k := range keys {
		opt := k
		if k == "name" {
			opt = "description"
		}
		v := a[opt]
		if v == nil {
			continue
		}
		switch x := v.(type) {
		case bool:
			if x {
				v = "1"
			} else {
				v = "0"
			}
		case []any:
			sep := " "
			if k == "baseurl" || k == "gpgkey" {
				sep = "\n"
			}
			v = strings.Join(a.Strings(opt), sep)
		}
		s.set(k, fmt.Sprint(v))
	}
}

// noRepoDir is the failure for a reposdir that is not a directory.
type noRepoDir string

func (e noRepoDir) Error() string {
	return fmt.Sprintf("Repo directory '%s' does not exist.", string(e))
}

// readRepoFile checks reposdir and returns dest's text and whether it is a
// regular file, in one round trip.
func readRepoFile(t *remotecmd.Target, reposdir, dest string) (string, bool, error) {
	o, err := t.Sh(nil, fmt.Sprintf("test -d %s || exit 3; if test -f %s; then echo y; cat %[2]s; else echo n; fi",
		shell.Quote(reposdir), shell.Quote(dest)))
	if err != nil {
		return "", false, err
	}
	switch {
	case o.RC == 3:
		return "", false, noRepoDir(reposdir)
	case o.RC != 0:
		return "", false, fmt.Errorf("reading %s: %s", dest, strings.TrimSpace(o.Stderr))
	}
	flag, text, _ := strings.Cut(o.Stdout, "\n")
	return text, flag == "y", nil
}

// saveRepoFile is YumRepo.save: the file rewritten, or removed when it has
// no section left.
func saveRepoFile(ctx context.Context, t *remotecmd.Target, conf *configFile, dest string) error {
	if len(conf.sections) == 0 {
		o, err := t.Run(nil, "rm", "--", dest)
		if err != nil {
			return err
		}
		if o.RC != 0 {
			return fmt.Errorf("Cannot remove empty repo file %s.", dest)
		}
		return nil
	}
	info, err := remotefile.Stat(ctx, t.Conn, dest, remotefile.StatOptions{})
	if err != nil {
		return err
	}
	_, err = remotefile.Write(ctx, t.Conn, remotefile.WriteRequest{Dest: dest, Content: strings.NewReader(conf.write()), Existing: info})
	if err != nil {
		return fmt.Errorf("Problems handling file %s.", dest)
	}
	return nil
}

var yumRepositoryDoc = &module.Doc{
	Name:  "yum_repository",
	Names: []string{"ansible.builtin.yum_repository"},
	Short: "Add or remove YUM repositories",
	Description: []string{
		"Add or remove YUM repositories in RPM-based Linux distributions.",
		"If you wish to update an existing repository definition use community.general.ini_file instead.",
		"The .repo file is read and written as Python's configparser does, so the bytes gorun writes are those Ansible writes.",
		"Options without a value are left out of the file: yum then uses its own default, which the option's description names.",
	},
	Options: append([]module.Option{
		{Name: "async", Type: "bool", Description: "If set to C(true) Yum will download packages and metadata from this repo in parallel, if possible. In ansible-core 2.11, 2.12, and 2.13 the default value is C(true). This option has been deprecated in RHEL 8. If you're using one of the versions listed above, you can set this option to None to avoid passing an unknown configuration option."},
		{Name: "bandwidth", Description: "Maximum available network bandwidth in bytes/second. Used with the I(throttle) option. If I(throttle) is a percentage and bandwidth is C(0) then bandwidth throttling will be disabled. If I(throttle) is expressed as a data rate (bytes/sec) then this option is ignored. Default is C(0) (no bandwidth throttling)."},
		{Name: "baseurl", Type: "list", Elements: "str", Description: "URL to the directory where the yum repository's 'repodata' directory lives. It can also be a list of multiple URLs. This, the I(metalink) or I(mirrorlist) parameters are required if I(state) is set to C(present)."},
		{Name: "cost", Description: "Relative cost of accessing this repository. Useful for weighing one repo's packages as greater/less than any other."},
		{Name: "deltarpm_metadata_percentage", Description: "When the relative size of deltarpm metadata vs pkgs is larger than this, deltarpm metadata is not downloaded from the repo. Note that you can give values over C(100), so C(200) means that the metadata is required to be half the size of the packages. Use C(0) to turn off this check, and always download metadata."},
		{Name: "deltarpm_percentage", Description: "When the relative size of delta vs pkg is larger than this, delta is not used. Use C(0) to turn off delta rpm processing. Local repositories (with file:// I(baseurl)) have delta rpms turned off by default."},
		{Name: "description", Description: "A human readable string describing the repository. This option corresponds to the \"name\" property in the repo file. This parameter is only required if I(state) is set to C(present)."},
		{Name: "enabled", Type: "bool", Description: "This tells yum whether or not use this repository. Yum default value is C(true)."},
		{Name: "enablegroups", Type: "bool", Description: "Determines whether yum will allow the use of package groups for this repository. Yum default value is C(true)."},
		{Name: "exclude", Type: "list", Elements: "str", Description: "List of packages to exclude from updates or installs. This should be a space separated list. Shell globs using wildcards (eg. C(*) and C(?)) are allowed. The list can also be a regular YAML array."},
		{Name: "failovermethod", Choices: []any{"roundrobin", "priority"}, Description: "C(roundrobin) randomly selects a URL out of the list of URLs to start with and proceeds through each of them as it encounters a failure contacting the host. C(priority) starts from the first I(baseurl) listed and reads through them sequentially."},
		{Name: "file", Description: "File name without the C(.repo) extension to save the repo in. Defaults to the value of I(name)."},
		{Name: "gpgcakey", Description: "A URL pointing to the ASCII-armored CA key file for the repository."},
		{Name: "gpgcheck", Type: "bool", Description: "Tells yum whether or not it should perform a GPG signature check on packages. No default setting. If the value is not set, the system setting from C(/etc/yum.conf) or system default of C(false) will be used."},
		{Name: "gpgkey", Type: "list", Elements: "str", Description: "A URL pointing to the ASCII-armored GPG key file for the repository. It can also be a list of multiple URLs."},
		{Name: "http_caching", Choices: []any{"all", "packages", "none"}, Description: "Determines how upstream HTTP caches are instructed to handle any HTTP downloads that Yum does. C(all) means that all HTTP downloads should be cached. C(packages) means that only RPM package downloads should be cached (but not repository metadata downloads). C(none) means that no HTTP downloads should be cached."},
		{Name: "include", Description: "Include external configuration file. Both, local path and URL is supported. Configuration file will be inserted at the position of the I(include=) line. Included files may contain further include lines. Yum will abort with an error if an inclusion loop is detected."},
		{Name: "includepkgs", Type: "list", Elements: "str", Description: "List of packages you want to only use from a repository. This should be a space separated list. Shell globs using wildcards (eg. C(*) and C(?)) are allowed. Substitution variables (e.g. C($releasever)) are honored here. The list can also be a regular YAML array."},
		{Name: "ip_resolve", Choices: []any{"4", "6", "IPv4", "IPv6", "whatever"}, Description: "Determines how yum resolves host names. C(4) or C(IPv4) - resolve to IPv4 addresses only. C(6) or C(IPv6) - resolve to IPv6 addresses only."},
		{Name: "keepalive", Type: "bool", Description: "This tells yum whether or not HTTP/1.1 keepalive should be used with this repository. This can improve transfer speeds by using one connection when downloading multiple files from a repository."},
		{Name: "keepcache", Choices: []any{"0", "1"}, Description: "Either C(1) or C(0). Determines whether or not yum keeps the cache of headers and packages after successful installation."},
		{Name: "metadata_expire", Description: "Time (in seconds) after which the metadata will expire. Default value is 6 hours."},
		{Name: "metadata_expire_filter", Choices: []any{"never", "read-only:past", "read-only:present", "read-only:future"}, Description: "Filter the I(metadata_expire) time, allowing a trade of speed for accuracy if a command doesn't require it. Each yum command can specify that it requires a certain level of timeliness quality from the remote repos. from \"I'm about to install/upgrade, so this better be current\" to \"Anything that's available is good enough\". C(never) - Nothing is filtered, always obey I(metadata_expire). C(read-only:past) - Commands that only care about past information are filtered from metadata expiring. Eg. I(yum history) info (if history needs to lookup anything about a previous transaction, then by definition the remote package was available in the past). C(read-only:present) - Commands that are balanced between past and future. Eg. I(yum list yum). C(read-only:future) - Commands that are likely to result in running other commands which will require the latest metadata. Eg. I(yum check-update). Note that this option does not override \"yum clean expire-cache\"."},
		{Name: "metalink", Description: "Specifies a URL to a metalink file for the repomd.xml, a list of mirrors for the entire repository are generated by converting the mirrors for the repomd.xml file to a I(baseurl). This, the I(baseurl) or I(mirrorlist) parameters are required if I(state) is set to C(present)."},
		{Name: "mirrorlist", Description: "Specifies a URL to a file containing a list of baseurls. This, the I(baseurl) or I(metalink) parameters are required if I(state) is set to C(present)."},
		{Name: "mirrorlist_expire", Description: "Time (in seconds) after which the mirrorlist locally cached will expire. Default value is 6 hours."},
		{Name: "module_hotfixes", Type: "bool", Description: "Disable module RPM filtering and make all RPMs from the repository available. The default is C(None)."},
		{Name: "name", Required: true, Description: "Unique repository ID. This option builds the section name of the repository in the repo file. This parameter is only required if I(state) is set to C(present) or C(absent)."},
		{Name: "params", Type: "dict", Description: "Removed in Ansible 2.5: the module fails when it is set, as Ansible's does."},
		{Name: "password", Description: "Password to use with the username for basic authentication."},
		{Name: "priority", Description: "Enforce ordered protection of repositories. The value is an integer from 1 to 99. This option only works if the YUM Priorities plugin is installed."},
		{Name: "protect", Type: "bool", Description: "Protect packages from updates from other repositories."},
		{Name: "proxy", Description: "URL to the proxy server that yum should use. Set to C(_none_) to disable the global proxy setting."},
		{Name: "proxy_password", Description: "Password for this proxy."},
		{Name: "proxy_username", Description: "Username to use for proxy."},
		{Name: "repo_gpgcheck", Type: "bool", Description: "This tells yum whether or not it should perform a GPG signature check on the repodata from this repository."},
		{Name: "reposdir", Type: "path", Default: "/etc/yum.repos.d", Description: "Directory where the C(.repo) files will be stored."},
		{Name: "retries", Description: "Set the number of times any attempt to retrieve a file should retry before returning an error. Setting this to C(0) makes yum try forever."},
		{Name: "s3_enabled", Type: "bool", Description: "Enables support for S3 repositories. This option only works if the YUM S3 plugin is installed."},
		{Name: "skip_if_unavailable", Type: "bool", Description: "If set to C(true) yum will continue running if this repository cannot be contacted for any reason. This should be set carefully as all repos are consulted for any given command."},
		{Name: "ssl_check_cert_permissions", Type: "bool", Description: "Whether yum should check the permissions on the paths for the certificates on the repository (both remote and local). If we can't read any of the files then yum will force I(skip_if_unavailable) to be C(true). This is most useful for non-root processes which use yum on repos that have client cert files which are readable only by root."},
		{Name: "sslcacert", Aliases: []string{"ca_cert"}, Description: "Path to the directory containing the databases of the certificate authorities yum should use to verify SSL certificates."},
		{Name: "sslclientcert", Aliases: []string{"client_cert"}, Description: "Path to the SSL client certificate yum should use to connect to repos/remote sites."},
		{Name: "sslclientkey", Aliases: []string{"client_key"}, Description: "Path to the SSL client key yum should use to connect to repos/remote sites."},
		{Name: "sslverify", Type: "bool", Aliases: []string{"validate_certs"}, Description: "Defines whether yum should verify SSL certificates/hosts at all."},
		{Name: "state", Default: "present", Choices: []any{"absent", "present"}, Description: "State of the repo file."},
		{Name: "throttle", Description: "Enable bandwidth throttling for downloads. This option can be expressed as a absolute data rate in bytes/sec. An SI prefix (k, M or G) may be appended to the bandwidth value."},
		{Name: "timeout", Description: "Number of seconds to wait for a connection before timing out."},
		{Name: "ui_repoid_vars", Description: "When a repository id is displayed, append these yum variables to the string if they are used in the I(baseurl)/etc. Variables are appended in the order listed (and found)."},
		{Name: "username", Description: "Username to use for basic authentication to a repo or really any url."},
	}, fileOptions...),
	Check: module.Full,
	Diff:  module.Full,
	Examples: `- name: Add repository
  ansible.builtin.yum_repository:
    name: epel
    description: EPEL YUM repo
    baseurl: https://download.fedoraproject.org/pub/epel/$releasever/$basearch/

- name: Add multiple repositories into the same file (1/2)
  ansible.builtin.yum_repository:
    name: epel
    description: EPEL YUM repo
    file: external_repos
    baseurl: https://download.fedoraproject.org/pub/epel/$releasever/$basearch/
    gpgcheck: no

- name: Add multiple repositories into the same file (2/2)
  ansible.builtin.yum_repository:
    name: rpmforge
    description: RPMforge YUM repo
    file: external_repos
    baseurl: http://apt.sw.be/redhat/el7/en/$basearch/rpmforge
    mirrorlist: http://mirrorlist.repoforge.org/el7/mirrors-rpmforge
    enabled: no

# Handler showing how to clean yum metadata cache
- name: yum-clean-metadata
  ansible.builtin.command: yum clean metadata

# Example removing a repository and cleaning up metadata cache
- name: Remove repository (and clean up left-over metadata)
  ansible.builtin.yum_repository:
    name: epel
    state: absent
  notify: yum-clean-metadata

- name: Remove repository from a specific repo file
  ansible.builtin.yum_repository:
    name: epel
    file: external_repos
    state: absent`,
	Returns: []module.Return{
		{Name: "repo", Description: "repository name", Returned: "success", Type: "str", Sample: "epel"},
		{Name: "state", Description: "state of the target, after execution", Returned: "success", Type: "str", Sample: "present"},
	},
}
