package files_test

// synchronizeScenario covers ansible.posix.synchronize: pushes from the
// controller (recursive, --delete with an exclude, without --archive, with
// become), an unchanged rerun, a pull to the controller and a failing
// rsync. The host's address in `cmd` is normalised (see labAddr).
var synchronizeScenario = scenario{
	files: map[string]string{
		"files/tree/a":      "a\n",
		"files/tree/sub/b":  "b\n",
		"files/tree/skipme": "skip\n",
		"fetched/.keep":     "",
	},
	setup: `mkdir -p /srv/t/s2/tree; echo old > /srv/t/s2/tree/old`,
	tasks: `
- synchronize: {src: tree/, dest: /srv/t/s1/}
- synchronize: {src: tree/, dest: /srv/t/s1/}
- synchronize: {src: tree, dest: /srv/t/s2, delete: true, rsync_opts: ["--exclude=skip*"]}
- synchronize: {src: tree/, dest: /srv/t/s3/, archive: false, recursive: true, checksum: true}
- synchronize: {src: /srv/t/s2/, dest: "fetched/{{ inventory_hostname }}/", mode: pull}
- synchronize: {src: tree/, dest: /srv/t/s4/}
  become: true
- synchronize: {src: nothere/, dest: /srv/t/s5/}
- synchronize: {src: /srv/t/s2/, dest: /srv/t/s6/}
  delegate_to: "{{ inventory_hostname }}"
- synchronize: {src: /srv/t/s2/, dest: /srv/t/s6/}
  delegate_to: "{{ inventory_hostname }}"
- set_fact: {ansible_password: not-used}
- synchronize: {src: tree/, dest: /srv/t/s7/}
`,
	extraArgs: []string{"--diff"},
}
