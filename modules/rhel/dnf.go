package rhel

import (
	"context"

	"gorun/engine/module"
)

// dnfModule is ansible.builtin.dnf: packages and groups installed,
// upgraded or removed with the target's dnf command (see packages.go).
type dnfModule struct{}

func init() { module.Register(dnfModule{}) }

func (dnfModule) Doc() *module.Doc { return dnfDoc }

func (dnfModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	return runPackages(ctx, call, "dnf")
}

var dnfDoc = &module.Doc{
	Name:  "dnf",
	Names: []string{"ansible.builtin.dnf"},
	Short: "Manages packages with the dnf package manager",
	Description: []string{
		"Installs, upgrade, removes, and lists packages and groups with the dnf package manager.",
		"gorun runs the target's dnf command line between two listings of the installed packages (rpm -qa), whose difference is the result: results lists \"Installed: NEVRA\" and \"Removed: NEVRA\" as Ansible's dnf module does. Check mode runs the command with --assumeno and reads its transaction table.",
		"Not supported yet (the task fails naming them): list, allow_downgrade. lock_timeout is left to the tool, which waits for its lock itself.",
	},
	Options: []module.Option{
		{Name: "allow_downgrade", Type: "bool", Default: false, Description: "Specify if the named package and version is allowed to downgrade a maybe already installed higher version of that package. Note that setting allow_downgrade=True can make this module behave in a non-idempotent way. The task could end up with a set of packages that does not match the complete list of specified packages to install (because dependencies between the downgraded package and others can cause changes to the packages which were in the earlier transaction)."},
		{Name: "allowerasing", Type: "bool", Default: false, Description: "If C(true) it allows  erasing  of  installed  packages to resolve dependencies."},
		{Name: "autoremove", Type: "bool", Default: false, Description: "If C(true), removes all \"leaf\" packages from the system that were originally installed as dependencies of user-installed packages but which are no longer required by any such package. Should be used alone or when state is I(absent)"},
		{Name: "bugfix", Type: "bool", Default: false, Description: "If set to C(true), and C(state=latest) then only installs updates that have been marked bugfix related. Note that, similar to C(dnf upgrade-minimal), this filter applies to dependencies as well."},
		{Name: "cacheonly", Type: "bool", Default: false, Description: "Tells dnf to run entirely from system cache; does not download or update metadata."},
		{Name: "conf_file", Description: "The remote dnf configuration file to use for the transaction."},
		{Name: "disable_excludes", Description: "Disable the excludes defined in DNF config files. If set to C(all), disables all excludes. If set to C(main), disable excludes defined in [main] in dnf.conf. If set to C(repoid), disable excludes defined for given repo id."},
		{Name: "disable_gpg_check", Type: "bool", Default: false, Description: "Whether to disable the GPG checking of signatures of packages being installed. Has an effect only if state is I(present) or I(latest). This setting affects packages installed from a repository as well as \"local\" packages installed from the filesystem or a URL."},
		{Name: "disable_plugin", Type: "list", Elements: "str", Description: "I(Plugin) name to disable for the install/update operation. The disabled plugins will not persist beyond the transaction."},
		{Name: "disablerepo", Type: "list", Elements: "str", Description: "I(Repoid) of repositories to disable for the install/update operation. These repos will not persist beyond the transaction. When specifying multiple repos, separate them with a \",\"."},
		{Name: "download_dir", Description: "Specifies an alternate directory to store packages. Has an effect only if I(download_only) is specified."},
		{Name: "download_only", Type: "bool", Default: false, Description: "Only download the packages, do not install them."},
		{Name: "enable_plugin", Type: "list", Elements: "str", Description: "I(Plugin) name to enable for the install/update operation. The enabled plugin will not persist beyond the transaction."},
		{Name: "enablerepo", Type: "list", Elements: "str", Description: "I(Repoid) of repositories to enable for the install/update operation. These repos will not persist beyond the transaction. When specifying multiple repos, separate them with a \",\"."},
		{Name: "exclude", Type: "list", Elements: "str", Description: "Package name(s) to exclude when state=present, or latest. This can be a list or a comma separated string."},
		{Name: "install_repoquery", Type: "bool", Default: true, Description: "This is effectively a no-op in DNF as it is not needed with DNF, but is an accepted parameter for feature parity/compatibility with the I(yum) module."},
		{Name: "install_weak_deps", Type: "bool", Default: true, Description: "Will also install all packages linked by a weak dependency relation."},
		{Name: "installroot", Default: "/", Description: "Specifies an alternative installroot, relative to which all packages will be installed."},
		{Name: "list", Description: "Various (non-idempotent) commands for usage with C(/usr/bin/ansible) and I(not) playbooks. Use M(ansible.builtin.package_facts) instead of the C(list) argument as a best practice."},
		{Name: "lock_timeout", Type: "int", Default: 30, Description: "Amount of time to wait for the dnf lockfile to be freed."},
		{Name: "name", Type: "list", Elements: "str", Aliases: []string{"pkg"}, Description: "A package name or package specifier with version, like C(name-1.0). When using state=latest, this can be '*' which means run: dnf -y update. You can also pass a url or a local path to a rpm file. To operate on several packages this can accept a comma separated string of packages or a list of packages. Comparison operators for package version are valid here C(>), C(<), C(>=), C(<=). Example - C(name >= 1.0). Spaces around the operator are required. You can also pass an absolute path for a binary which is provided by the package to install. See examples for more information."},
		{Name: "nobest", Type: "bool", Default: false, Description: "Set best option to False, so that transactions are not limited to best candidates only."},
		{Name: "releasever", Description: "Specifies an alternative release from which all packages will be installed."},
		{Name: "security", Type: "bool", Default: false, Description: "If set to C(true), and C(state=latest) then only installs updates that have been marked security related. Note that, similar to C(dnf upgrade-minimal), this filter applies to dependencies as well."},
		{Name: "skip_broken", Type: "bool", Default: false, Description: "Skip all unavailable packages or packages with broken dependencies without raising an error. Equivalent to passing the --skip-broken option."},
		{Name: "sslverify", Type: "bool", Default: true, Description: "Disables SSL validation of the repository server for this transaction. This should be set to C(false) if one of the configured repositories is using an untrusted or self-signed certificate."},
		{Name: "state", Choices: []any{"absent", "present", "installed", "removed", "latest"}, Description: "Whether to install (C(present), C(latest)), or remove (C(absent)) a package. Default is C(None), however in effect the default action is C(present) unless the C(autoremove) option is enabled for this module, then C(absent) is inferred."},
		{Name: "update_cache", Type: "bool", Aliases: []string{"expire-cache"}, Default: false, Description: "Force dnf to check if cache is out of date and redownload if needed. Has an effect only if state is I(present) or I(latest)."},
		{Name: "update_only", Type: "bool", Default: false, Description: "When using latest, only update installed packages. Do not install packages. Has an effect only if state is I(latest)"},
		{Name: "validate_certs", Type: "bool", Default: true, Description: "This only applies if using a https url as the source of the rpm. e.g. for localinstall. If set to C(false), the SSL certificates will not be validated. This should only set to C(false) used on personally controlled sites using self-signed certificates as it avoids verifying the source site."},
	},
	RequiredOneOf:     [][]string{{"name", "list", "update_cache"}},
	MutuallyExclusive: [][]string{{"name", "list"}},
	Check:             module.Full,
	Diff:              module.None,
	Examples: `- name: Install the latest version of Apache
  ansible.builtin.dnf:
    name: httpd
    state: latest

- name: Install Apache >= 2.4
  ansible.builtin.dnf:
    name: httpd >= 2.4
    state: present

- name: Install the latest version of Apache and MariaDB
  ansible.builtin.dnf:
    name:
      - httpd
      - mariadb-server
    state: latest

- name: Remove the Apache package
  ansible.builtin.dnf:
    name: httpd
    state: absent

- name: Install the latest version of Apache from the testing repo
  ansible.builtin.dnf:
    name: httpd
    enablerepo: testing
    state: present

- name: Upgrade all packages
  ansible.builtin.dnf:
    name: "*"
    state: latest

- name: Update the webserver, depending on which is installed on the system. Do not install the other one
  ansible.builtin.dnf:
    name:
      - httpd
      - nginx
    state: latest
    update_only: yes

- name: Install the nginx rpm from a remote repo
  ansible.builtin.dnf:
    name: 'http://nginx.org/packages/centos/6/noarch/RPMS/nginx-release-centos-6-0.el6.ngx.noarch.rpm'
    state: present

- name: Install nginx rpm from a local file
  ansible.builtin.dnf:
    name: /usr/local/src/nginx-release-centos-6-0.el6.ngx.noarch.rpm
    state: present

- name: Install Package based upon the file it provides
  ansible.builtin.dnf:
    name: /usr/bin/cowsay
    state: present

- name: Install the 'Development tools' package group
  ansible.builtin.dnf:
    name: '@Development tools'
    state: present

- name: Autoremove unneeded packages installed as dependencies
  ansible.builtin.dnf:
    autoremove: yes

- name: Uninstall httpd but keep its dependencies
  ansible.builtin.dnf:
    name: httpd
    state: absent
    autoremove: no

- name: Install a modularity appstream with defined stream and profile
  ansible.builtin.dnf:
    name: '@postgresql:9.6/client'
    state: present

- name: Install a modularity appstream with defined stream
  ansible.builtin.dnf:
    name: '@postgresql:9.6'
    state: present

- name: Install a modularity appstream with defined profile
  ansible.builtin.dnf:
    name: '@postgresql/client'
    state: present`,
	Returns: []module.Return{
		{Name: "msg", Description: "Nothing to do, Cache updated, the check-mode notice, or what failed.", Returned: "always", Type: "str", Sample: "Nothing to do"},
		{Name: "results", Description: "The packages installed and removed, as \"Installed: name-version-release.arch\" and \"Removed: ...\".", Returned: "always", Type: "list", Sample: []any{"Installed: httpd-2.4.57-5.el9.x86_64"}},
		{Name: "rc", Description: "0 on success, 1 on failure.", Returned: "always", Type: "int", Sample: 0},
		{Name: "failures", Description: "What failed, one entry per package.", Returned: "failure", Type: "list", Sample: []any{"No package nosuchpkg available."}},
	},
}
