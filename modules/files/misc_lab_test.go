package files_test

// miscScenario covers the modules that read: stat, slurp, find, fetch, and tempfile.
var miscScenario = scenario{
	setup: `mkdir -p /srv/t/d/sub /srv/t/d/.hid; echo one > /srv/t/d/a.txt; echo two > /srv/t/d/b.log
echo three > /srv/t/d/sub/c.txt; echo hidden > /srv/t/d/.h.txt; echo in > /srv/t/d/.hid/i.txt
printf 'x%.0s' $(seq 1 2000) > /srv/t/d/big.txt; ln -s a.txt /srv/t/d/l.txt; chmod 0600 /srv/t/d/b.log`,
	tasks: `
- stat: {path: /srv/t/d/a.txt, get_mime: false}
- stat: {path: /srv/t/d/l.txt, follow: true, checksum_algorithm: sha256}
- stat: {path: /srv/t/d/l.txt}
- stat: {path: /srv/t/d/none}
- slurp: {src: /srv/t/d/a.txt}
- slurp: {src: /srv/t/d/none}
- slurp: {src: /srv/t/d}
- find: {paths: /srv/t/d}
- find: {paths: /srv/t/d, patterns: "*.txt", recurse: true}
- find: {paths: /srv/t/d, patterns: '^[ab]\..*$', use_regex: true, hidden: true, recurse: true}
- find: {paths: /srv/t/d, file_type: directory, recurse: true, hidden: true}
- find: {paths: /srv/t/d, file_type: any, excludes: "*.log"}
- find: {paths: /srv/t/d, size: 1k, recurse: true}
- find: {paths: /srv/t/d, contains: "^t", recurse: true, get_checksum: true}
- find: {paths: /srv/t/d, age: -1d, file_type: link}
- find: {paths: /srv/t/d, recurse: true, depth: 1}
- find: {paths: [/srv/t/d/sub, /srv/t/none]}
- fetch: {src: /srv/t/d/a.txt, dest: fetched}
- fetch: {src: /srv/t/d/a.txt, dest: fetched}
- fetch: {src: /srv/t/d/none, dest: fetched}
- fetch: {src: /srv/t/d/none, dest: fetched, fail_on_missing: false}
- fetch: {src: /srv/t/d, dest: fetched}
`,
}
