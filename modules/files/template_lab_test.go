package files_test

var templateScenario = scenario{
	files: map[string]string{
		"templates/site.conf.j2": "# {{ ansible_managed }}\nname={{ name }}\n{% for i in items %}\nitem {{ i }}\n{% endfor %}\nend\n",
		"templates/strip.j2":     "  {% if true %}\nkept\n  {% endif %}\n<< name >>\n",
		"templates/crlf.j2":      "a\nb\n",
		"templates/enc.j2":       "caf\u00e9 {{ name }} \u00fcber\n",
	},
	tasks: `
- template: {src: site.conf.j2, dest: /srv/t/site.conf, mode: "0640"}
  vars: {name: web, items: [1, 2]}
- template: {src: site.conf.j2, dest: /srv/t/site.conf, mode: "0640"}
  vars: {name: web, items: [1, 2]}
- template: {src: site.conf.j2, dest: /srv/t/site.conf, backup: true}
  vars: {name: db, items: []}
- template: {src: strip.j2, dest: /srv/t/strip, lstrip_blocks: true, variable_start_string: "<<", variable_end_string: ">>"}
  vars: {name: x}
- template: {src: crlf.j2, dest: /srv/t/crlf, newline_sequence: "\\r\\n"}
- template: {src: site.conf.j2, dest: /srv/t/v.conf, validate: "grep -q name=ok %s"}
  vars: {name: bad, items: []}
- template: {src: missing.j2, dest: /srv/t/m}
- template: {src: enc.j2, dest: /srv/t/latin1.txt, output_encoding: latin-1}
  vars: {name: x}
- template: {src: enc.j2, dest: /srv/t/latin1.txt, output_encoding: ISO-8859-1}
  vars: {name: x}
- template: {src: enc.j2, dest: /srv/t/utf16.txt, output_encoding: utf-16}
  vars: {name: x}
- template: {src: enc.j2, dest: /srv/t/utf16be.txt, output_encoding: utf-16-be}
  vars: {name: x}
`,
	extraArgs: []string{"--diff"},
}
