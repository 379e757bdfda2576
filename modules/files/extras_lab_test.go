package files_test

// vaultPassword opens the vaulted files of extrasScenario (made with the
// real ansible-vault: `ansible-vault encrypt --vault-password-file`).
const vaultPassword = "labpass"

// extrasScenario covers the common options on the file-type modules:
// chattr attributes, SELinux options on a host without SELinux (ignored by
// both engines), and vault-encrypted sources of copy, template and assemble.
var extrasScenario = scenario{
	files: map[string]string{
		"vault.pass": vaultPassword,
		// "top secret\n"
		"files/secret.txt": `$ANSIBLE_VAULT;1.1;AES256
30336632353839666134633337303263383030663830343662316238343836343332363433623464
3530323762393737323366386537383532666334303830380a323061356135366666623263646330
61353930336535326438356535623837373631656339313133303234623139363539323430636532
3932333634626334610a613937666535336666383438376666376631313264343563353034383932
6238
`,
		// "secret {{ 1 + 1 }}\n"
		"templates/secret.j2": `$ANSIBLE_VAULT;1.1;AES256
62383233363532623837623331376639306162366438373836636237386364346136636534383066
3838363366376631333165383962303164663561353264640a626333623839373766656335616238
62333537623835383038636166366431663365363339326331383633633863643233373437643631
3766613861373564610a376661363234636338366530623162343161393765346563313937633432
35663439353730633762383864306364383538383537316431383062343237336562
`,
	},
	setup: `echo one > /srv/t/f1`,
	tasks: `
- file: {path: /srv/t/f1, attributes: A}
- file: {path: /srv/t/f1, attributes: A}
- file: {path: /srv/t/f1, attributes: +d}
- file: {path: /srv/t/f1, attributes: -d}
- stat: {path: /srv/t/f1, get_attributes: true}
- file: {path: /srv/t/f2, state: touch, attributes: +A}
- file: {path: /srv/t/dir, state: directory, attributes: +d}
- copy: {content: "c\n", dest: /srv/t/c1, attributes: +A}
- copy: {content: "c\n", dest: /srv/t/c1, attributes: +A}
- copy: {content: "d\n", dest: /srv/t/c1, attributes: +A}
- lineinfile: {path: /srv/t/c1, line: "e", attributes: "-A"}
- stat: {path: /srv/t/c1, get_attributes: true}
- file: {path: /srv/t/f1, attributes: +Y}
- copy: {content: "s\n", dest: /srv/t/se, setype: httpd_sys_content_t, seuser: system_u}
- file: {path: /srv/t/se, serole: object_r, selevel: s0}
- copy: {src: secret.txt, dest: /srv/t/secret.txt}
- copy: {src: secret.txt, dest: /srv/t/secret.txt}
- copy: {src: secret.txt, dest: /srv/t/secret.raw, decrypt: false}
- copy: {src: secret.txt, dest: /srv/t/secret.keep, mode: preserve}
- template: {src: secret.j2, dest: /srv/t/secret.conf}
`,
	extraArgs: []string{"--diff", "--vault-password-file", "vault.pass"},
}
