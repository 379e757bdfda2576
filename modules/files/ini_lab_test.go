package files_test

var iniScenario = scenario{
	setup: `printf '# top\nkey=1\n\n[main]\nname = old\n; note\nlist = a\nlist = b\n\n[other]\nx=1' > /srv/t/app.ini`,
	tasks: `
- ini_file: {path: /srv/t/app.ini, section: main, option: name, value: new}
- ini_file: {path: /srv/t/app.ini, section: main, option: name, value: new}
- ini_file: {path: /srv/t/app.ini, section: main, option: note, value: yes}
- ini_file: {path: /srv/t/app.ini, section: main, option: list, values: [b, c], backup: true}
- ini_file: {path: /srv/t/app.ini, section: other, option: y, value: "2", no_extra_spaces: true}
- ini_file: {path: /srv/t/app.ini, section: new, option: z, value: "3", mode: "0600"}
- ini_file: {path: /srv/t/app.ini, section: null, option: key, value: "2"}
- ini_file: {path: /srv/t/app.ini, section: main, option: flag, allow_no_value: true}
- ini_file: {path: /srv/t/app.ini, section: main, option: list, state: absent}
- ini_file: {path: /srv/t/app.ini, section: other, state: absent}
- ini_file: {path: /srv/t/app.ini, section: main, option: name}
- community.general.ini_file: {path: /srv/t/made.ini, section: s, option: o, value: v}
- ini_file: {path: /srv/t/none.ini, section: s, option: o, value: v, create: false}
`,
	extraArgs: []string{"--diff"},
}
