package corpus

import "path/filepath"

// Where Debian's ansible packages put what the corpus runs.
const (
	collections  = "/usr/lib/python3/dist-packages/ansible_collections"
	builtinMods  = "/usr/lib/python3/dist-packages/ansible/modules"
	testPlaybook = "/usr/lib/python3/dist-packages/ansible_test/_data/playbooks"
)

// Item is one piece of the corpus: a role of an installed collection, the
// EXAMPLES of an ansible.builtin module, or playbooks shipped with
// ansible-test, each run unchanged.
type Item struct {
	// Name identifies the item in test names and reports.
	Name string
	// Role is a collection role (namespace.collection.role), played on
	// the lab hosts by a generated playbook that lists only it.
	Role string
	// Roles are collection roles played one after the other, a play
	// each, by one generated playbook: for roles that end without a
	// failure (a failed host would leave the later plays), so that
	// ansible-playbook starts once for all of them.
	Roles []string
	// Playbooks are playbook files run as they are, in one command.
	Playbooks []string
	// Args are extra command-line arguments (--check, -e ...).
	Args []string
	// Missing says why gorun cannot run the item yet. Such an item is not
	// compared; gorun must stop on it with an error containing
	// MissingError, never run it half.
	Missing, MissingError string
	// Differs says why gorun's run of the item differs from Ansible's;
	// such an item is compared and reported, not failed.
	Differs string
	// Slow items (retries with delays, long waits) run only with
	// GORUN_CORPUS_FULL=1 or when named in GORUN_CORPUS. Their Ansible
	// runs are not pipelined: only the others' were checked to give the
	// same transcripts with it (see corpus_test.go's pipelined).
	Slow bool
}

// Items is the corpus. Roles run in check mode: they would otherwise
// install software from repositories the lab cannot reach.
var Items = []Item{
	// Roles of collections.
	{Name: "role-sops-install", Role: "community.sops.install", Args: []string{"--check"}},
	{Name: "role-mongodb-selinux", Role: "community.mongodb.mongodb_selinux", Args: []string{"--check"}},
	{Name: "role-mongodb-linux", Role: "community.mongodb.mongodb_linux", Args: []string{"--check"}},
	{Name: "role-mongodb-repository", Role: "community.mongodb.mongodb_repository", Args: []string{"--check"}},
	{Name: "role-sensu-install", Role: "sensu.sensu_go.install", Args: []string{"--check"}},
	{Name: "role-gcloud", Role: "google.cloud.gcloud", Args: []string{"--check"}},
	{Name: "role-grafana-agent", Role: "grafana.grafana.grafana_agent", Args: []string{"--check"}},
	{Name: "role-zabbix-agent", Role: "community.zabbix.zabbix_agent", Args: []string{"--check"}},

	// Playbooks ansible-test runs on test hosts, with the variables it
	// passes; each prepare is followed by its restore, so the hosts are
	// left as found for the other tool. (pypi_proxy_prepare.yml is left
	// out: its restore leaves the ~/.pip directory it made.)
	{Name: "ansible-test-posix-hosts", Playbooks: []string{
		filepath.Join(testPlaybook, "posix_hosts_prepare.yml"),
		filepath.Join(testPlaybook, "posix_hosts_restore.yml"),
	}, Args: []string{"-e", `{"hosts_entries": ["10.99.0.1 corpus-a", "10.99.0.2 corpus-b"]}`}},
	{Name: "ansible-test-coverage", Playbooks: []string{
		filepath.Join(testPlaybook, "posix_coverage_setup.yml"),
		filepath.Join(testPlaybook, "posix_coverage_teardown.yml"),
	}, Args: []string{"-e", `{"common_temp_dir": "/tmp/corpus-cov", "mode_directory": "0755", "mode_directory_write": "1777", "mode_file": "0644",` +
		` "coverage_config_path": "/tmp/corpus-cov/coveragerc", "coverage_config": "[run]\nbranch = True\n", "coverage_output_path": "/tmp/corpus-cov/out"}`}},
}

// Examples are the ansible.builtin modules whose EXAMPLES are run, all
// in one playbook of one play per module (check mode, errors ignored), with
// what makes a module's examples differ under gorun where they do. The
// modules marked Quick run by default; GORUN_CORPUS_FULL=1 runs them all
// (some 220 tasks: ansible-playbook needs minutes for them). Left out:
// apt, uri and get_url (their examples reach the network, which the lab
// has not, and wait for long timeouts), wait_for, wait_for_connection and
// pause (they wait by design), setup (its EXAMPLES hold a play, which both
// tools refuse in a task list with the same error).
var Examples = []Example{
	{Module: "assemble", Quick: true}, {Module: "debconf", Quick: true},
	{Module: "dpkg_selections", Quick: true}, {Module: "fetch", Quick: true},
	{Module: "group", Quick: true}, {Module: "group_by", Quick: true},
	{Module: "hostname", Quick: true}, {Module: "raw", Quick: true},
	{Module: "slurp", Quick: true}, {Module: "tempfile", Quick: true},
	{Module: "debug", Quick: true}, {Module: "assert", Quick: true}, {Module: "fail", Quick: true},
	{Module: "cron"}, {Module: "find"}, {Module: "getent"}, {Module: "lineinfile"},
	{Module: "replace"}, {Module: "user"}, {Module: "set_fact"}, {Module: "stat"}, {Module: "file"},
	// Ansible's pipelining moves the traceback of data=crash to
	// module_stderr (naming <stdin>): ping's examples run without it.
	{Module: "ping", Quick: true, Unpipelined: true, Differs: "data=crash cannot produce Python's traceback in module_stdout"},
	{Module: "add_host", Quick: true},
	{Module: "blockinfile"},
	{Module: "command"},
	{Module: "copy"},
	{Module: "template"},
	{Module: "unarchive"},
	{Module: "include_vars"},
	{Module: "service"},
	{Module: "systemd_service"},
	{Module: "shell"},
}

// Example is a module whose EXAMPLES are run.
type Example struct {
	// Module is an ansible.builtin module's short name, or the fully
	// qualified name of a collection's module.
	Module string
	// Quick examples run by default (see Examples). Their Ansible run
	// is pipelined (corpus_test.go's pipelined) unless Unpipelined says
	// their transcript differs with it.
	Quick, Unpipelined bool
	// Differs says why gorun's transcript of the examples differs from
	// Ansible's; such a module is compared and reported, not failed.
	Differs string
}
