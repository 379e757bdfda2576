package files_test

var copyScenario = scenario{
	files: map[string]string{
		"files/one.txt":    "hello file\n",
		"files/tree/a":     "a\n",
		"files/tree/sub/b": "b\n",
	},
	tasks: `
- copy: {content: "line one\n", dest: /srv/t/a.txt, mode: "0644"}
- copy: {content: "line one\n", dest: /srv/t/a.txt, mode: "0644"}
- copy: {content: "line two\n", dest: /srv/t/a.txt, backup: true}
- copy: {content: "line two\n", dest: /srv/t/a.txt, mode: "u+x,g-r"}
- copy: {src: one.txt, dest: /srv/t/}
- copy: {src: tree, dest: /srv/t/d}
- copy: {src: tree/, dest: /srv/t/e/}
- copy: {content: "other", dest: /srv/t/a.txt, force: false}
- copy: {content: "bad", dest: /srv/t/v.txt, validate: "grep -q good %s"}
- copy: {content: "good", dest: /srv/t/v.txt, validate: "grep -q good %s"}
- copy: {content: "own", dest: /srv/t/o.txt, owner: lab, group: lab, mode: 0600}
- copy: {content: "x", dest: /srv/t/missing/x.txt}
- copy: {src: one.txt, dest: /srv/t/p.txt, mode: preserve}
- copy: {src: /srv/t/a.txt, remote_src: true, dest: /srv/t/r.txt}
- copy: {content: [1, {"a": "b"}], dest: /srv/t/j.json}
- copy: {content: "x", dest: /srv/t/a.txt, mode: "u+q"}
- copy: {content: "x", dest: /srv/t/a.txt, owner: nosuchuser}
- copy: {content: "x", dest: /srv/t/a.txt, src: one.txt}
- copy: {content: "via link\n", dest: /srv/t/link, follow: true}
- copy: {content: "replaces link\n", dest: /srv/t/link2}
`,
	setup:     `echo target > /srv/t/target; ln -s target /srv/t/link; ln -s target /srv/t/link2`,
	extraArgs: []string{"--diff"},
}
