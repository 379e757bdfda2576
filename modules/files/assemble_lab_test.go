package files_test

var assembleScenario = scenario{
	files: map[string]string{"files/frags/10-a": "alpha\n", "files/frags/20-b": "beta", "files/frags/.hidden": "h\n"},
	setup: `mkdir -p /srv/t/frags; printf 'one\n' > /srv/t/frags/01; printf 'two' > /srv/t/frags/02; printf 'skip\n' > /srv/t/frags/x03`,
	tasks: `
- assemble: {src: /srv/t/frags, dest: /srv/t/out}
- assemble: {src: /srv/t/frags, dest: /srv/t/out}
- assemble: {src: /srv/t/frags, dest: /srv/t/out, delimiter: '### part', regexp: '^0', backup: true, mode: "0600"}
- assemble: {src: frags, remote_src: false, dest: /srv/t/local, ignore_hidden: true}
- assemble: {src: /srv/t/none, dest: /srv/t/x}
- assemble: {src: /srv/t/frags, dest: /srv/t/v, validate: 'grep -q nothing %s'}
`,
}
