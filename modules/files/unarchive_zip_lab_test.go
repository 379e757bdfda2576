package files_test

// zipSetup builds the zip archives on each host (zip -X: no extra fields,
// so both hosts hold the same bytes) and the destinations the scenarios
// compare against: fresh, with changed content and permissions, with a
// newer and an older file for keep_newer, and with a directory where the
// archive has a file.
const zipSetup = `mkdir -p /srv/t/src/sub /srv/t/lsrc && cd /srv/t/src && echo a > a && echo bb > sub/b && chmod 640 sub/b
touch -d '2024-01-01 00:00:00' a sub sub/b && zip -qrX ../a.zip a sub
cd /srv/t/lsrc && echo t > target && ln -s target link && touch -h -d '2024-01-01 00:00:00' target link && zip -qryX ../l.zip target link
mkdir -p /srv/t/z1 /srv/t/z2/sub /srv/t/kn/sub /srv/t/mo /srv/t/ow /srv/t/inc /srv/t/exc /srv/t/bad/a /srv/t/ln /srv/t/ln2
echo x > /srv/t/z2/a && touch -d '2024-01-01 00:00:00' /srv/t/z2/a && echo bb > /srv/t/z2/sub/b && chmod 600 /srv/t/z2/sub/b
echo new > /srv/t/kn/a && touch -d '2030-01-01' /srv/t/kn/a && echo old > /srv/t/kn/sub/b && touch -d '2000-01-01' /srv/t/kn/sub/b
echo other > /srv/t/ln2/link
`

// zipScenario compares ZipArchive's changed detection and itemized diff
// (is_unarchived), keep_newer, mode/owner/group against what zipinfo
// lists, include and exclude, symlinks, and a file type conflict.
var zipScenario = scenario{
	setup: zipSetup,
	tasks: `
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/z1, remote_src: true, list_files: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/z1, remote_src: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/z2, remote_src: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/kn, remote_src: true, keep_newer: true, list_files: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/kn, remote_src: true, keep_newer: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/mo, remote_src: true, mode: "0600"}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/mo, remote_src: true, mode: "0600"}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/mo, remote_src: true, mode: "u=rw,g=r"}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/ow, remote_src: true, owner: nobody, group: nogroup}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/ow, remote_src: true, owner: nobody, group: nogroup}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/ow, remote_src: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/inc, remote_src: true, include: [a], list_files: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/inc, remote_src: true, include: [a]}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/exc, remote_src: true, exclude: [sub/b], list_files: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/exc, remote_src: true, exclude: [sub/b]}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/bad, remote_src: true}
- unarchive: {src: /srv/t/l.zip, dest: /srv/t/ln, remote_src: true, list_files: true}
- unarchive: {src: /srv/t/l.zip, dest: /srv/t/ln, remote_src: true}
- unarchive: {src: /srv/t/l.zip, dest: /srv/t/ln2, remote_src: true}
`,
}

// zipDiffScenario runs a few of them with --diff, where the itemized
// list is what the callback shows.
var zipDiffScenario = scenario{
	setup:     zipSetup,
	extraArgs: []string{"--diff"},
	tasks: `
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/z2, remote_src: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/z2, remote_src: true}
- unarchive: {src: /srv/t/a.zip, dest: /srv/t/kn, remote_src: true, keep_newer: true}
`,
}
