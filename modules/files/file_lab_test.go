package files_test

var fileScenario = scenario{
	setup: `mkdir -p /srv/t/full/sub; echo x > /srv/t/full/f; echo y > /srv/t/full/sub/g; echo z > /srv/t/plain; chmod 0640 /srv/t/plain`,
	tasks: `
- file: {path: /srv/t/dir/a/b, state: directory, mode: "0750"}
- file: {path: /srv/t/dir/a/b, state: directory, mode: "0750"}
- file: {path: /srv/t/dir, state: directory, owner: lab, recurse: true}
- file: {path: /srv/t/full, state: directory, mode: "u=rwX,g=rX,o=", recurse: true}
- file: {path: /srv/t/plain, mode: "0600"}
- file: {path: /srv/t/plain, mode: "g+r"}
- file: {path: /srv/t/plain, owner: lab, group: lab}
- file: {path: /srv/t/nothere, state: file}
- file: {path: /srv/t/touched, state: touch, mode: "0644"}
- file: {path: /srv/t/sym, src: /srv/t/plain, state: link}
- file: {path: /srv/t/sym, src: /srv/t/plain, state: link}
- file: {path: /srv/t/sym, src: full, state: link}
- file: {path: /srv/t/dangling, src: /nonexistent, state: link}
- file: {path: /srv/t/dangling, src: /nonexistent, state: link, force: true}
- file: {path: /srv/t/hard, src: /srv/t/plain, state: hard}
- file: {path: /srv/t/plain, state: directory}
- file: {path: /srv/t/full, state: absent}
- file: {path: /srv/t/full, state: absent}
- file: {path: /srv/t/plain, state: touch, modification_time: "202001011200.00", access_time: preserve}
- file: {path: /srv/t/plain, state: file, recurse: true}
- file: {path: /srv/t/plain, src: /srv/t/x, state: file}
- file: {path: /srv/t/plain, mode: "0999"}
`,
	extraArgs: []string{"--diff"},
}
