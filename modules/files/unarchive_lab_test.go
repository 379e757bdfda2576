package files_test

// unarchiveScenario covers tar archives (zip archives: zipScenario) and
// leaves out unrecognised archives (whose message lists every handler's
// complaint).
var unarchiveScenario = scenario{
	setup: `mkdir -p /srv/t/src/sub /srv/t/tgz /srv/t/zip /srv/t/xz; echo a > /srv/t/src/a; echo b > /srv/t/src/sub/b
cd /srv/t/src && touch -d '2024-01-01 00:00:00' a sub sub/b && tar czf ../a.tar.gz a sub && tar cJf ../a.tar.xz a sub && tar cjf ../a.tar.bz2 a sub
zip -qrX ../a.zip a sub; printf 'not an archive' > ../bad.tgz
mkdir -p /srv/t/inc /srv/t/exc /srv/t/tr /srv/t/kn /srv/t/url /srv/t/url404; echo newer > /srv/t/kn/a; touch -d 2030-01-01 /srv/t/kn/a
mkdir -p /tmp/evil && cd /tmp/evil && echo x > x && touch -d 2020-01-01 x && tar cf /srv/t/evil.tar --absolute-names ../evil/x`,
	tasks: `
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/tgz, remote_src: true, list_files: true}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/tgz, remote_src: true}
- unarchive: {src: /srv/t/a.tar.xz, dest: /srv/t/xz, remote_src: true, creates: /srv/t/xz/a}
- unarchive: {src: /srv/t/a.tar.xz, dest: /srv/t/xz, remote_src: true, creates: /srv/t/xz/a}
- unarchive: {src: /srv/t/a.tar.bz2, dest: /srv/t/missing, remote_src: true}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/inc, remote_src: true, include: [a], list_files: true}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/exc, remote_src: true, exclude: [sub/b], list_files: true}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/exc, remote_src: true, exclude: [sub/b], io_buffer_size: 4096}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/tr, remote_src: true, extra_opts: ["--transform=s/^a$/renamed/"], list_files: true}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/kn, remote_src: true, keep_newer: true}
- unarchive: {src: /srv/t/a.tar.gz, dest: /srv/t/inc, remote_src: true, include: [a], exclude: [sub]}
- unarchive: {src: "{{ base_url }}/a.tar.gz", dest: /srv/t/url, remote_src: true, list_files: true}
- unarchive: {src: "{{ base_url }}/a.tar.gz", dest: /srv/t/url, remote_src: true}
- unarchive: {src: "{{ base_url }}/missing.tar.gz", dest: /srv/t/url404, remote_src: true}
`,
}
