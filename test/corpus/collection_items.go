package corpus

import "path/filepath"

// collectionItems widen the corpus with more of the roles, playbooks and
// module EXAMPLES of the collections Debian's ansible package installs
// (all run unchanged, roles in check mode). They follow Items and
// Examples; roles that only talk to an API (dellemc network devices,
// netapp, santricity, cisco) or need the cloud are left out, as are roles
// whose tasks all skip on a Linux host without their variables.
//
// Names stay within 23 characters: the test's temporary HOME carries the
// name, and a longer one makes ssh's ControlPath too long for a socket.
var collectionItems = []Item{
	{Name: "role-sops-install-age", Role: "community.sops._install_age", Args: []string{"--check"}},
	{Name: "playbook-sops-install", Playbooks: []string{filepath.Join(collections, "community/sops/playbooks/install.yml")},
		Args: []string{"--check", "-l", "lab"}},
	{Name: "role-sensu-agent", Role: "sensu.sensu_go.agent", Args: []string{"--check"}},
	{Name: "role-sensu-backend", Role: "sensu.sensu_go.backend", Args: []string{"--check"}},
	{Name: "role-icinga-director", Role: "t_systems_mms.icinga_director.ansible_icinga", Args: []string{"--check"}},
	{Name: "role-proxysql", Role: "community.proxysql.proxysql", Args: []string{"--check"}},
	{Name: "role-zabbix-javagateway", Role: "community.zabbix.zabbix_javagateway", Args: []string{"--check"}},
	{Name: "role-zabbix-web", Role: "community.zabbix.zabbix_web", Args: []string{"--check"}},
	{Name: "role-zabbix-proxy", Role: "community.zabbix.zabbix_proxy", Args: []string{"--check"},
		Differs: "gorun gathers no python facts (targets need no Python), so ansible_python_version is undefined; Ansible also shows the first_found item path unnormalised (vars/../vars)"},
	{Name: "role-zabbix-server", Role: "community.zabbix.zabbix_server", Args: []string{"--check"},
		Differs: "gorun gathers no python facts (targets need no Python), so ansible_python_version is undefined"},
	// The package tasks (tag pkg) install from MongoDB's repository, which
	// the lab cannot reach: they retry for minutes. The rest of the role
	// (directories, configuration, key file, service) runs.
	{Name: "role-mongodb-config", Role: "community.mongodb.mongodb_config", Args: []string{"--check", "--skip-tags", "pkg"}},
	{Name: "role-mongodb-mongod", Role: "community.mongodb.mongodb_mongod", Args: []string{"--check", "--skip-tags", "pkg"}},
	{Name: "role-mongodb-mongos", Role: "community.mongodb.mongodb_mongos", Args: []string{"--check"}, Slow: true},
	{Name: "role-mongodb-install", Role: "community.mongodb.mongodb_install", Args: []string{"--check"}, Slow: true},
	{Name: "role-mongodb-auth", Role: "community.mongodb.mongodb_auth", Args: []string{"--check"}, Slow: true,
		Differs: "gorun gathers no python facts (targets need no Python): ansible_facts.python is undefined"},
	{Name: "role-conjur-identity", Role: "cyberark.conjur.conjur_host_identity", Args: []string{"--check"}},
	{Name: "role-gcsfuse", Role: "google.cloud.gcsfuse", Args: []string{"--check"}},
	{Name: "role-ovirt-engine-setup", Role: "ovirt.ovirt.engine_setup", Args: []string{"--check"}},
	{Name: "role-ovirt-shutdown-env", Role: "ovirt.ovirt.shutdown_env", Args: []string{"--check"}},
	{Name: "role-ovirt-dr", Role: "ovirt.ovirt.disaster_recovery", Args: []string{"--check"}},
	{Name: "role-gcp-http-lb", Role: "google.cloud.gcp_http_lb", Args: []string{"--check"}},
	{Name: "role-foreman-actkeys", Role: "theforeman.foreman.activation_keys", Args: []string{"--check"}},
	{Name: "role-foreman-rhel", Role: "theforeman.foreman.content_rhel", Args: []string{"--check"}},
	{Name: "role-foreman-c2rhel", Role: "theforeman.foreman.convert2rhel", Args: []string{"--check"}},
	// Roles whose lists default to empty: every task skips, the roles end
	// without a failure, so they share one run.
	{Name: "roles-foreman-empty", Roles: []string{"theforeman.foreman.content_credentials",
		"theforeman.foreman.content_views", "theforeman.foreman.organizations", "theforeman.foreman.sync_plans"},
		Args: []string{"--check"}},
}

// collectionExamples are the EXAMPLES of collection modules gorun
// implements, run as Examples are (check mode, errors ignored). Left out:
// nmcli and synchronize (their EXAMPLES hold plays), the libvirt modules
// (the lab hosts run no libvirtd).
var collectionExamples = []Example{
	{Module: "community.general.alternatives", Quick: true},
	{Module: "community.general.archive", Quick: true},
	{Module: "ansible.posix.authorized_key", Quick: true},
	{Module: "community.general.filesystem", Quick: true},
	{Module: "ansible.posix.firewalld", Quick: true},
	{Module: "community.general.ini_file", Quick: true},
	{Module: "community.general.ldap_passwd", Quick: true},
	{Module: "community.general.ldap_attrs",
		Differs: "python-ldap's SERVER_DOWN exception (its traceback line and repr in details) cannot be reproduced"},
	{Module: "community.general.ldap_entry",
		Differs: "python-ldap's SERVER_DOWN exception (its traceback line and repr in details) cannot be reproduced"},
	{Module: "community.general.ldap_search",
		Differs: "python-ldap's SERVER_DOWN exception (its traceback line and repr in details) cannot be reproduced"},
	{Module: "community.general.lvg", Quick: true},
	{Module: "community.general.lvol"}, {Module: "community.general.modprobe"},
	{Module: "ansible.posix.mount"}, {Module: "community.general.pam_limits"},
	{Module: "community.general.parted"}, {Module: "ansible.posix.seboolean"},
	{Module: "community.general.sefcontext"}, {Module: "ansible.posix.selinux"},
	{Module: "ansible.posix.sysctl"}, {Module: "community.general.timezone"},
}

func init() {
	Items = append(Items, collectionItems...)
	Examples = append(Examples, collectionExamples...)
}
