package files_test

// archiveScenario covers community.general.archive. Archives go to
// /srv/out, outside the compared tree, since their bytes carry times that
// differ between the hosts; their member lists are compared instead.
//
// The archives' sizes differ (Python's tarfile writes PAX headers, GNU tar
// GNU ones; gzip headers carry names and times), so size is not compared.
// The listings run in check mode too (check_mode: false).
var archiveScenario = scenario{
	ignore: []string{"size"},
	setup: `rm -rf /srv/out; mkdir -p /srv/t/src/sub /srv/t/src/e /srv/t/rm /srv/out/o
echo a > /srv/t/src/a; echo b > /srv/t/src/sub/b; echo c > /srv/t/src/c; ln -s a /srv/t/src/la
echo one > /srv/t/one; echo two > /srv/t/two; echo r > /srv/t/rm/r; echo one > /srv/out/o/one`,
	tasks: `
- archive: {path: /srv/t/src, dest: /srv/out/a.tgz}
- archive: {path: /srv/t/src, dest: /srv/out/a.tgz}
- command: tar -tzf /srv/out/a.tgz
  check_mode: false
- archive: {path: /srv/t/src, dest: /srv/out/a.zip, format: zip, exclusion_patterns: ["*/b"]}
- command: unzip -Z1 /srv/out/a.zip
  check_mode: false
- archive: {path: ["/srv/t/src/*", /srv/t/one], dest: /srv/out/b.tar.bz2, format: bz2, exclude_path: [/srv/t/src/sub], mode: "0600"}
- command: tar -tjf /srv/out/b.tar.bz2
  check_mode: false
- archive: {path: /srv/out/o/one}
- archive: {path: /srv/out/o/one}
- command: gzip -dc /srv/out/o/one.gz
  check_mode: false
- archive: {path: /srv/t/two, dest: /srv/out/two.xz, format: xz, remove: true}
- archive: {path: /srv/t/two, dest: /srv/out/two.xz, format: xz}
- archive: {path: [/srv/t/rm, /srv/t/nothere], dest: /srv/out/rm.tar, format: tar, remove: true}
- command: tar -tf /srv/out/rm.tar
  check_mode: false
- archive: {path: /srv/t/src, dest: /srv/t/src/in.tgz, remove: true}
- archive: {path: "/srv/t/none*", dest: /srv/out/x.tgz}
- archive: {path: /srv/t/src}
- archive: {path: /srv/t/one, force_archive: true, dest: /srv/out/one.tar.gz}
- command: tar -tzf /srv/out/one.tar.gz
  check_mode: false
`,
}
