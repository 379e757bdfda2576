// Package corpus runs material nobody on this project wrote, unchanged,
// under ansible-playbook and gorun on the same lab hosts and compares exit
// codes, recaps and normalised transcripts (test/e2e, test/lang).
//
// The corpus (items.go) is taken from what Debian's ansible and
// ansible-core packages install, since this machine reaches no other
// source: roles of the collections under
// /usr/lib/python3/dist-packages/ansible_collections (in check mode, as
// they install software from repositories the lab cannot reach), the
// EXAMPLES blocks of ansible.builtin modules (each as the tasks of a
// check-mode play that ignores errors, so every example runs even where the
// lab lacks the files or services it names), and the playbooks ansible-test
// runs on its test hosts. Nothing in them is edited or special-cased.
//
// An item that gorun cannot run yet carries a Missing note: it is not
// compared, but gorun must stop on it with the error the note names. An
// item whose run differs for a known reason carries a Differs note: it is
// compared and the difference logged, without failing the test (and a note
// that no longer holds is reported). The test logs one line per item.
//
//	go test -run TestCorpusUnchanged ./test/corpus/
//	GORUN_CORPUS=role-sops-install,examples-debug go test ./test/corpus/
//	GORUN_CORPUS_FULL=1 go test ./test/corpus/         # every module's EXAMPLES
//	GORUN_CORPUS_KEEP=/tmp/k go test ./test/corpus/   # keep both transcripts
//
// Results when written (GORUN_CORPUS_FULL=1): 43 items, 26 pass, 12 differ
// for the documented reasons below, 5 stop on a missing module as
// documented.
//
// How it runs (session 5, for CI time): the items run three at a time on
// the lab's two hosts, each its ansible-playbook run then its gorun run,
// and the test logs both durations. Ansible runs pipelined (one SSH
// session a task instead of four) for the default set, whose transcripts
// were checked to be the same with it: the same 54 outcomes, the same
// documented differences. Two exceptions run without it: ping's examples
// (with pipelining the data=crash traceback is in module_stderr, naming
// <stdin>) and the Slow items (not checked). The Quick examples run as
// three playbooks of about the same number of tasks, and ping's as a
// fourth: one playbook took 4 minutes under load, the longest item by
// far. Each module's play is compared as before, by its banner. Where
// the CPU goes (measured per cgroup, session 5): about 400 s for the
// default set, before and after these changes; most of it is Ansible's
// modules in Python on the two hosts (role-proxysql: ansible-playbook
// 6 s, its hosts 15 s; gorun 0.1 s, its hosts 3.5 s), which pipelining
// does not touch. So on a busy machine the items' concurrency shortens
// the wall time only when there are cores to spare.
//
// collection_items.go adds (session 4) 27 items from the same collections
// (roles of community.sops/mongodb/proxysql/zabbix, sensu.sensu_go,
// t_systems_mms.icinga_director, cyberark.conjur, google.cloud,
// ovirt.ovirt, theforeman.foreman; community.sops's install playbook) and
// the EXAMPLES of 21 collection modules gorun implements. Items named in
// Roles share one ansible-playbook run; Slow items (MongoDB package
// retries) run only with GORUN_CORPUS_FULL=1. Engine fixes they found:
// run_once templated and tested as Python tests it (an omitted run_once
// runs once), an omitted delegate_to, templated delegate_facts, an
// undefined loop variable waiting for a false when, with_<lookup> errors
// unwrapped, arguments of an unimplemented module templated first, a
// role's collection search list (short module and role names inside
// collection roles), required_one_of/required_together with defaults,
// apt's "No package matching" without cache keys, archive's globs in a
// missing directory.
//
// What the corpus found missing in gorun (the Missing and Differs notes):
//   - modules: apt_key (community.mongodb.mongodb_repository,
//     sensu.sensu_go.install, google.cloud.gcloud), dnf
//     (grafana.grafana.grafana_agent), pip (community.zabbix.zabbix_agent);
//   - module messages: service on a host without systemd, systemd_service
//     failures without cmd, copy/template missing-source hints, unarchive's
//     order of checks, include_vars failures, ping's data=crash traceback,
//     become to a missing user;
//   - engine: a task's arguments are templated in no fixed order (the first
//     undefined variable named may differ), lookup errors are not wrapped in
//     Ansible's "unhandled exception ... lookup plugin" text, a delegated task
//     that fails templating is shown without "-> HOST".
//
// Fixed in the engine because of the corpus: collections found in
// Python's package directories (COLLECTIONS_SCAN_SYS_PATH), role argument
// specs, task banners templated with the host's variables, include_role
// banners, failures raised before a module runs without "changed", no_log
// results, package without state, several playbooks in one run, assert on
// undefined variables.
package corpus
