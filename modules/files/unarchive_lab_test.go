package files_test

// unarchiveScenario leaves out zip archives (Ansible's zip handler returns an
// itemized "diff" gorun does not make yet) and unrecognised archives (whose
// message lists every handler's complaint).
var unarchiveScenario = scenario{
	setup: `mkdir -p /srv/t/src/sub /srv/t/tgz /srv/t/zip /srv/t/xz; echo a > /srv/t/src/a; echo b > /srv/t/src/sub/b
cd /srv/t/src && tar czf ../a.tar.gz a sub && tar cJf ../a.tar.xz a sub && tar cjf ../a.tar.bz2 a sub
zip -qr ../a.zip a sub; printf 'not an archive' > ../bad.tgz
mkdir -p /tmp/evil && cd /tmp/evil && echo x > x && touch -d 2020-01-01 x && tar cf /srv/t/evil.tar --absolute-names ../evil/x`,
	tasks: `
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/tgz, remote_src: true, list_files: true}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/tgz, remote_src: true}
- unarchive: {src: /srv/t/a.tar.xz, dest: /srv/t/xz, remote_src: true, creates: /srv/t/xz/a}
- unarchive: {src: /srv/t/a.tar.xz, dest: /srv/t/xz, remote_src: true, creates: /srv/t/xz/a}
- unarchive: {src: /srv/t/a.tar.bz2, dest: /srv/t/missing, remote_src: true}
`,
}
