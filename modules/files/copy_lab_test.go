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
- copy: {src: /srv/t/rsrc, dest: /srv/t/rnew1, remote_src: true}
- copy: {src: /srv/t/rsrc/, dest: /srv/t/rnew2, remote_src: true}
- copy: {src: /srv/t/rsrc, dest: /srv/t/rexist, remote_src: true, mode: "0750"}
- copy: {src: /srv/t/rsrc/, dest: /srv/t/rexist3, remote_src: true, owner: lab}
- copy: {src: /srv/t/rsrc, dest: /srv/t/rexist2, remote_src: true}
- copy: {src: /srv/t/rsrc, dest: /srv/t/rexist2, remote_src: true}
- copy: {src: /srv/t/rsrc/, dest: /srv/t/rnew3/, remote_src: true, directory_mode: "0700"}
- copy: {src: /srv/t/rsrc/, dest: /srv/t/rexist3, remote_src: true, local_follow: false}
`,
	setup: `echo target > /srv/t/target; ln -s target /srv/t/link; ln -s target /srv/t/link2
mkdir -p /srv/t/rsrc/sub /srv/t/rsrc/sub/deep /srv/t/rexist /srv/t/rexist2/rsrc/sub/deep /srv/t/rexist3
echo a > /srv/t/rsrc/a; echo b > /srv/t/rsrc/sub/b; echo d > /srv/t/rsrc/sub/deep/d; ln -s a /srv/t/rsrc/la
chmod 0700 /srv/t/rsrc/sub; echo old > /srv/t/rexist2/rsrc/a; echo keep > /srv/t/rexist2/rsrc/k
echo dd > /srv/t/rexist2/rsrc/sub/deep/d; touch -d 2020-01-01 /srv/t/rsrc/a /srv/t/rsrc/sub/b /srv/t/rsrc/sub/deep/d`,
	extraArgs: []string{"--diff"},
}
