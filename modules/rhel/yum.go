package rhel

import (
	"context"

	"gorun/engine/module"
)

// yumModule is ansible.builtin.yum: packages and groups installed,
// upgraded or removed with the target's yum command (see packages.go).
type yumModule struct{}

func init() { module.Register(yumModule{}) }

func (yumModule) Doc() *module.Doc { return yumDoc }

func (yumModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	return runPackages(ctx, call, "yum")
}

var yumDoc = &module.Doc{
	Name:  "yum",
	Names: []string{"ansible.builtin.yum"},
	Short: "Manages packages with the yum package manager",
	Description: []string{
		"Installs, upgrade, downgrades, removes, and lists packages and groups with the yum package manager.",
		"With use_backend auto gorun runs yum when the target has it and dnf otherwise, as Ansible picks its backend; yum and dnf take the same options here.",
		"gorun runs the target's yum (or dnf) command line between two listings of the installed packages (rpm -qa), whose difference is the result: results lists \"Installed: NEVRA\" and \"Removed: NEVRA\" as Ansible's dnf module does. Check mode runs the command with --assumeno and reads its transaction table.",
		"Not supported yet (the task fails naming them): list, allow_downgrade. lock_timeout is left to the tool, which waits for its lock itself.",
	},
	Options: []module.Option{
		{Name: "allow_downgrade", Type: "bool", Default: false, Description: "Specify if the named package and version is allowed to downgrade a maybe already installed higher version of that package. Note that setting allow_downgrade=True can make this module behave in a non-idempotent way. The task could end up with a set of packages that does not match the complete list of specified packages to install (because dependencies between the downgraded package and others can cause changes to the packages which were in the earlier transaction)."},
		{Name: "autoremove", Type: "bool", Default: false, Description: "If C(true), removes all \"leaf\" packages from the system that were originally installed as dependencies of user-installed packages but which are no longer required by any such package. Should be used alone or when state is I(absent) NOTE: This feature requires yum >= 3.4.3 (RHEL/CentOS 7+)"},
		{Name: "bugfix", Type: "bool", Default: false, Description: "If set to C(true), and C(state=latest) then only installs updates that have been marked bugfix related."},
		{Name: "cacheonly", Type: "bool", Default: false, Description: "Tells yum to run entirely from system cache; does not download or update metadata."},
		{Name: "conf_file", Description: "The remote yum configuration file to use for the transaction."},
		{Name: "disable_excludes", Description: "Disable the excludes defined in YUM config files. If set to C(all), disables all excludes. If set to C(main), disable excludes defined in [main] in yum.conf. If set to C(repoid), disable excludes defined for given repo id."},
		{Name: "disable_gpg_check", Type: "bool", Default: false, Description: "Whether to disable the GPG checking of signatures of packages being installed. Has an effect only if state is I(present) or I(latest)."},
		{Name: "disable_plugin", Type: "list", Elements: "str", Description: "I(Plugin) name to disable for the install/update operation. The disabled plugins will not persist beyond the transaction."},
		{Name: "disablerepo", Type: "list", Elements: "str", Description: "I(Repoid) of repositories to disable for the install/update operation. These repos will not persist beyond the transaction. When specifying multiple repos, separate them with a C(\",\"). As of Ansible 2.7, this can alternatively be a list instead of C(\",\") separated string"},
		{Name: "download_dir", Description: "Specifies an alternate directory to store packages. Has an effect only if I(download_only) is specified."},
		{Name: "download_only", Type: "bool", Default: false, Description: "Only download the packages, do not install them."},
		{Name: "enable_plugin", Type: "list", Elements: "str", Description: "I(Plugin) name to enable for the install/update operation. The enabled plugin will not persist beyond the transaction."},
		{Name: "enablerepo", Type: "list", Elements: "str", Description: "I(Repoid) of repositories to enable for the install/update operation. These repos will not persist beyond the transaction. When specifying multiple repos, separate them with a C(\",\"). As of Ansible 2.7, this can alternatively be a list instead of C(\",\") separated string"},
		{Name: "exclude", Type: "list", Elements: "str", Description: "Package name(s) to exclude when state=present, or latest"},
		{Name: "install_repoquery", Type: "bool", Default: true, Description: "If repoquery is not available, install yum-utils. If the system is registered to RHN or an RHN Satellite, repoquery allows for querying all channels assigned to the system. It is also required to use the 'list' parameter. NOTE: This will run and be logged as a separate yum transation which takes place before any other installation or removal. NOTE: This will use the system's default enabled repositories without regard for disablerepo/enablerepo given to the module."},
		{Name: "install_weak_deps", Type: "bool", Default: true, Description: "Will also install all packages linked by a weak dependency relation. NOTE: This feature requires yum >= 4 (RHEL/CentOS 8+)"},
		{Name: "installroot", Default: "/", Description: "Specifies an alternative installroot, relative to which all packages will be installed."},
		{Name: "list", Description: "Package name to run the equivalent of C(yum list --show-duplicates <package>) against. In addition to listing packages, use can also list the following: C(installed), C(updates), C(available) and C(repos). This parameter is mutually exclusive with I(name)."},
		{Name: "lock_timeout", Type: "int", Default: 30, Description: "Amount of time to wait for the yum lockfile to be freed."},
		{Name: "name", Type: "list", Elements: "str", Aliases: []string{"pkg"}, Description: "A package name or package specifier with version, like C(name-1.0). Comparison operators for package version are valid here C(>), C(<), C(>=), C(<=). Example - C(name>=1.0) If a previous version is specified, the task also needs to turn C(allow_downgrade) on. See the C(allow_downgrade) documentation for caveats with downgrading packages. When using state=latest, this can be C('*') which means run C(yum -y update). You can also pass a url or a local path to a rpm file (using state=present). To operate on several packages this can accept a comma separated string of packages or (as of 2.0) a list of packages."},
		{Name: "releasever", Description: "Specifies an alternative release from which all packages will be installed."},
		{Name: "security", Type: "bool", Default: false, Description: "If set to C(true), and C(state=latest) then only installs updates that have been marked security related."},
		{Name: "skip_broken", Type: "bool", Default: false, Description: "Skip all unavailable packages or packages with broken dependencies without raising an error. Equivalent to passing the --skip-broken option."},
		{Name: "sslverify", Type: "bool", Default: true, Description: "Disables SSL validation of the repository server for this transaction. This should be set to C(false) if one of the configured repositories is using an untrusted or self-signed certificate."},
		{Name: "state", Choices: []any{"absent", "installed", "latest", "present", "removed"}, Description: "Whether to install (C(present) or C(installed), C(latest)), or remove (C(absent) or C(removed)) a package. C(present) and C(installed) will simply ensure that a desired package is installed. C(latest) will update the specified package if it's not of the latest available version. C(absent) and C(removed) will remove the specified package. Default is C(None), however in effect the default action is C(present) unless the C(autoremove) option is enabled for this module, then C(absent) is inferred."},
		{Name: "update_cache", Type: "bool", Aliases: []string{"expire-cache"}, Default: false, Description: "Force yum to check if cache is out of date and redownload if needed. Has an effect only if state is I(present) or I(latest)."},
		{Name: "update_only", Type: "bool", Default: false, Description: "When using latest, only update installed packages. Do not install packages. Has an effect only if state is I(latest)"},
		{Name: "use_backend", Default: "auto", Choices: []any{"auto", "yum", "yum4", "dnf"}, Description: "This module supports C(yum) (as it always has), this is known as C(yum3)/C(YUM3)/C(yum-deprecated) by upstream yum developers. As of Ansible 2.7+, this module also supports C(YUM4), which is the \"new yum\" and it has an C(dnf) backend. By default, this module will select the backend based on the C(ansible_pkg_mgr) fact."},
		{Name: "validate_certs", Type: "bool", Default: true, Description: "This only applies if using a https url as the source of the rpm. e.g. for localinstall. If set to C(false), the SSL certificates will not be validated. This should only set to C(false) used on personally controlled sites using self-signed certificates as it avoids verifying the source site. Prior to 2.1 the code worked as if this was set to C(true)."},
	},
	RequiredOneOf:     [][]string{{"name", "list", "update_cache"}},
	MutuallyExclusive: [][]string{{"name", "list"}},
	Check:             module.Full,
	Diff:              module.None,
	Examples: `- name: Install the latest version of Apache
  ansible.builtin.yum:
    name: httpd
    state: latest

- name: Install Apache >= 2.4
  ansible.builtin.yum:
    name: httpd>=2.4
    state: present

- name: Install a list of packages (suitable replacement for 2.11 loop deprecation warning)
  ansible.builtin.yum:
    name:
      - nginx
      - postgresql
      - postgresql-server
    state: present

- name: Install a list of packages with a list variable
  ansible.builtin.yum:
    name: "{{ packages }}"
  vars:
    packages:
    - httpd
    - httpd-tools

- name: Remove the Apache package
  ansible.builtin.yum:
    name: httpd
    state: absent

- name: Install the latest version of Apache from the testing repo
  ansible.builtin.yum:
    name: httpd
    enablerepo: testing
    state: present

- name: Install one specific version of Apache
  ansible.builtin.yum:
    name: httpd-2.2.29-1.4.amzn1
    state: present

- name: Upgrade all packages
  ansible.builtin.yum:
    name: '*'
    state: latest

- name: Upgrade all packages, excluding kernel & foo related packages
  ansible.builtin.yum:
    name: '*'
    state: latest
    exclude: kernel*,foo*

- name: Install the nginx rpm from a remote repo
  ansible.builtin.yum:
    name: http://nginx.org/packages/centos/6/noarch/RPMS/nginx-release-centos-6-0.el6.ngx.noarch.rpm
    state: present

- name: Install nginx rpm from a local file
  ansible.builtin.yum:
    name: /usr/local/src/nginx-release-centos-6-0.el6.ngx.noarch.rpm
    state: present

- name: Install the 'Development tools' package group
  ansible.builtin.yum:
    name: "@Development tools"
    state: present

- name: Install the 'Gnome desktop' environment group
  ansible.builtin.yum:
    name: "@^gnome-desktop-environment"
    state: present

- name: List ansible packages and register result to print with debug later
  ansible.builtin.yum:
    list: ansible
  register: result

- name: Install package with multiple repos enabled
  ansible.builtin.yum:
    name: sos
    enablerepo: "epel,ol7_latest"

- name: Install package with multiple repos disabled
  ansible.builtin.yum:
    name: sos
    disablerepo: "epel,ol7_latest"

- name: Download the nginx package but do not install it
  ansible.builtin.yum:
    name:
      - nginx
    state: latest
    download_only: true`,
	Returns: []module.Return{
		{Name: "msg", Description: "Nothing to do, Cache updated, the check-mode notice, or what failed.", Returned: "always", Type: "str", Sample: "Nothing to do"},
		{Name: "results", Description: "The packages installed and removed, as \"Installed: name-version-release.arch\" and \"Removed: ...\".", Returned: "always", Type: "list", Sample: []any{"Installed: httpd-2.4.57-5.el9.x86_64"}},
		{Name: "rc", Description: "0 on success, 1 on failure.", Returned: "always", Type: "int", Sample: 0},
		{Name: "failures", Description: "What failed, one entry per package.", Returned: "failure", Type: "list", Sample: []any{"No package nosuchpkg available."}},
	},
}
