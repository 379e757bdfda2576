package files_test

const textFile = `# config
alpha=1
beta=2
# comment
gamma=3
`

var lineinfileScenario = scenario{
	setup: `printf '%s' '` + textFile + `' > /srv/t/conf; ln -s conf /srv/t/conflink`,
	tasks: `
- lineinfile: {path: /srv/t/conf, regexp: '^beta=', line: beta=20}
- lineinfile: {path: /srv/t/conf, regexp: '^beta=', line: beta=20}
- lineinfile: {path: /srv/t/conf, line: delta=4}
- lineinfile: {path: /srv/t/conf, line: first, insertbefore: BOF}
- lineinfile: {path: /srv/t/conf, line: after-alpha, insertafter: '^alpha'}
- lineinfile: {path: /srv/t/conf, line: before-comment, insertbefore: '^# comment', firstmatch: true}
- lineinfile: {path: /srv/t/conf, regexp: '^(gamma)=(\d+)', line: '\1=\2\2', backrefs: true}
- lineinfile: {path: /srv/t/conf, regexp: '^nomatch', line: 'x', backrefs: true}
- lineinfile: {path: /srv/t/conf, search_string: 'alpha=', line: alpha=one}
- lineinfile: {path: /srv/t/conf, regexp: '^#', state: absent}
- lineinfile: {path: /srv/t/conf, line: delta=4, state: absent, backup: true}
- lineinfile: {path: /srv/t/new, line: created, create: true, mode: "0600"}
- lineinfile: {path: /srv/t/absent-file, line: x}
- lineinfile: {path: /srv/t/conflink, line: via-link}
- lineinfile: {path: /srv/t/conf, line: checked, validate: 'grep -q nothing %s'}
- lineinfile: {path: /srv/t/conf, line: moded, mode: "0600"}
- lineinfile: {path: /srv/t/conf, state: absent}
`,
	extraArgs: []string{"--diff"},
}

var blockinfileScenario = scenario{
	setup: `printf '%s' '` + textFile + `' > /srv/t/conf; printf 'no newline' > /srv/t/open`,
	tasks: `
- blockinfile: {path: /srv/t/conf, block: "x=1\ny=2"}
- blockinfile: {path: /srv/t/conf, block: "x=1\ny=2"}
- blockinfile: {path: /srv/t/conf, block: "x=10", marker: "// {mark} custom", insertbefore: BOF}
- blockinfile: {path: /srv/t/conf, block: "in=1", marker: "# {mark} mid", insertafter: '^beta'}
- blockinfile: {path: /srv/t/conf, block: "changed=1"}
- blockinfile: {path: /srv/t/conf, marker: "// {mark} custom", state: absent, backup: true}
- blockinfile: {path: /srv/t/open, block: "appended"}
- blockinfile: {path: /srv/t/made, block: "new", create: true}
- blockinfile: {path: /srv/t/missing, block: "new"}
- blockinfile: {path: /srv/t/conf, block: "s=1", marker_begin: START, marker_end: STOP, insertbefore: '^# comment'}
`,
	extraArgs: []string{"--diff"},
}

var replaceScenario = scenario{
	setup: `printf '%s' '` + textFile + `' > /srv/t/conf
printf 'caf\351 au lait\nna\357ve\n' > /srv/t/latin1
printf 'key=1\nother=\303\251\n' | iconv -f utf-8 -t utf-16 > /srv/t/utf16`,
	tasks: `
- replace: {path: /srv/t/conf, regexp: '^(\w+)=(\d)$', replace: '\1 = \2'}
- replace: {path: /srv/t/conf, regexp: '^(\w+)=(\d)$', replace: '\1 = \2'}
- replace: {path: /srv/t/conf, regexp: '=', replace: ':', after: 'beta', backup: true}
- replace: {path: /srv/t/conf, regexp: '^#', replace: '//', before: 'gamma'}
- replace: {path: /srv/t/conf, regexp: 'a', replace: 'A', after: '# config', before: '# comment'}
- replace: {path: /srv/t/conf, regexp: 'x', replace: 'y', after: 'nomatch'}
- replace: {path: /srv/t/conf, regexp: '(?P<k>gamma)', replace: '\g<k>!', mode: "0600"}
- replace: {path: /srv/t/missing, regexp: 'a'}
- replace: {path: /srv/t/latin1, regexp: 'é', replace: 'e', encoding: latin-1}
- replace: {path: /srv/t/latin1, regexp: 'ï', replace: 'ï!', encoding: latin1}
- replace: {path: /srv/t/utf16, regexp: '^key=1$', replace: 'key=2', encoding: utf-16}
- replace: {path: /srv/t/utf16, regexp: 'é', replace: 'è', encoding: utf-16}
`,
	extraArgs: []string{"--diff"},
}
