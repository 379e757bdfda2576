package system

import (
	"reflect"
	"testing"

	"gorun/engine/module"
)

// Unit tests of the parsers of apt_repository, apt_key, known_hosts,
// alternatives and package_facts, with what the Python code gives for the
// same input.

func TestSuggestFilename(t *testing.T) {
	for in, want := range map[string]string{
		"deb http://archive.canonical.com/ubuntu hardy partner":           "archive_canonical_com_ubuntu.list",
		"deb [arch=amd64 signed-by=/k.asc] https://dl.example.com/x/ y z": "dl_example_com_x.list",
		"deb-src http://user:pw@mirror.example.org:8080/debian sid main":  "mirror_example_org_8080_debian.list",
	} {
		if got := suggestFilename(in, ""); got != want {
			t.Errorf("suggestFilename(%q) = %q, want %q", in, got, want)
		}
	}
	if got := suggestFilename("deb http://x/ y z", "google-chrome"); got != "google-chrome.list" {
		t.Errorf("with filename: %q", got)
	}
}

func TestParseAptSource(t *testing.T) {
	for in, want := range map[string]string{
		"deb   http://x/  y z":        "deb http://x/ y z\n",
		"#deb http://x/ y z":          "# deb http://x/ y z\n",
		"deb http://x/ y z # comment": "deb http://x/ y z # comment\n",
		"## note":                     "# # note\n",
		"":                            "\n",
	} {
		if got := parseAptSource(in).String(); got != want {
			t.Errorf("parseAptSource(%q) writes %q, want %q", in, got, want)
		}
	}
	if s := parseAptSource("#deb http://x/ y z"); !s.valid || s.enabled {
		t.Errorf("a disabled source: %+v", s)
	}
}

func TestParseKeyID(t *testing.T) {
	short, fp, full, err := parseKeyID("0x9FED2BCBDCD29CDF762678CBAED4B06F473041FA")
	if err != nil || short != "473041FA" || fp != "AED4B06F473041FA" || full != "9FED2BCBDCD29CDF762678CBAED4B06F473041FA" {
		t.Errorf("parseKeyID = %q %q %q %v", short, fp, full, err)
	}
	for _, bad := range []string{"12zz", "123456789", ""} {
		if _, _, _, err := parseKeyID(bad); err == nil {
			t.Errorf("parseKeyID(%q) accepted", bad)
		}
	}
	listing := "/etc/apt/trusted.gpg.d/x.asc\n----\npub   rsa4096/6ED0E7B82643E131 2023-01-21 [SC] [expires: 2031-01-19]\nsub   ed25519/AAAABBBBCCCCDDDD 2023-01-21 [S]\npub   rsa4096/1111222233334444 2019-01-01 [SC] [expired: 2021-01-01]\n"
	if got := parseKeyListing(listing, false); !reflect.DeepEqual(got, []any{"6ED0E7B82643E131", "AAAABBBBCCCCDDDD"}) {
		t.Errorf("parseKeyListing = %v", got)
	}
	if got := parseKeyListing("pub:-:255:22:F1E2D3C4B5A69788:1700000000:::-:::scSC::::::23::0:\n", true); !reflect.DeepEqual(got, []any{"B5A69788"}) {
		t.Errorf("parseKeyListing of gpg --with-colons, short = %v", got)
	}
}

func TestNormalizeHostKey(t *testing.T) {
	if got := normalizeHostKey("@cert-authority *.example.com ssh-ed25519 AAAA comment"); got != (hostKey{"@cert-authority", "*.example.com", "ssh-ed25519", "AAAA"}) {
		t.Errorf("with a marker: %+v", got)
	}
	if got := normalizeHostKey("a.test,10.0.0.1 ssh-rsa BBBB\n"); got != (hostKey{"", "a.test,10.0.0.1", "ssh-rsa", "BBBB"}) {
		t.Errorf("plain: %+v", got)
	}
}

func TestParseAlternatives(t *testing.T) {
	out := `pager - manual mode
  link best version is /usr/bin/less
  link currently points to /bin/more
  link pager is /usr/bin/pager
  slave pager.1.gz is /usr/share/man/man1/pager.1.gz
/bin/ed - priority -100
/bin/more - priority 50
  slave pager.1.gz: /usr/share/man/man1/more.1.gz
/usr/bin/less - priority 77
  slave pager.1.gz: (null)
`
	s := parseAlternatives(out, nil)
	if s.mode != "manual" || s.path != "/bin/more" || s.link != "/usr/bin/pager" {
		t.Errorf("mode, path, link = %q %q %q", s.mode, s.path, s.link)
	}
	want := map[string]alternative{
		"/bin/more":     {50, []any{map[string]any{"name": "pager.1.gz", "path": "/usr/share/man/man1/more.1.gz", "link": "/usr/share/man/man1/pager.1.gz"}}},
		"/usr/bin/less": {77, []any{}},
	}
	if !reflect.DeepEqual(s.choices, want) {
		t.Errorf("choices = %v, want %v (a negative priority does not match Ansible's regexp)", s.choices, want)
	}
}

func TestAptPolicyParsing(t *testing.T) {
	global := `Package files:
 100 /var/lib/dpkg/status
     release a=now
 500 http://deb.debian.org/debian bookworm/main amd64 Packages
     release v=12.15,o=Debian,a=oldstable,n=bookworm,l=Debian,c=main,b=amd64
     origin deb.debian.org
Pinned packages:
`
	perPackage := `adduser:
  Installed: 3.134
  Candidate: 3.134
  Version table:
 *** 3.134 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
        100 /var/lib/dpkg/status
libfoo:i386:
  Installed: 2.0
  Candidate: 2.1
  Version table:
     2.1 500
        500 http://deb.debian.org/debian bookworm/main i386 Packages
 *** 2.0 100
        100 /var/lib/dpkg/status
`
	origins := aptOrigins(global)
	files := aptInstalledFiles(perPackage)
	if o := origins[files["adduser"]]; o != "Debian" {
		t.Errorf("adduser's origin %q (files %v, origins %v)", o, files, origins)
	}
	if f := files["libfoo:i386"]; f != "/var/lib/dpkg/status" || origins[f] != "" {
		t.Errorf("libfoo:i386's file %q, origin %q", f, origins[f])
	}
}

func TestGitSSHCommand(t *testing.T) {
	// set_git_ssh_env with GIT_SSH and GIT_SSH_OPTS unset, for git >= 2.3.
	for _, c := range []struct {
		args    module.Args
		opts    string
		optsSet bool
		want    string
	}{
		{module.Args{}, "", false, "ssh  -o BatchMode=yes"},
		{module.Args{"accept_hostkey": true}, "-o StrictHostKeyChecking=no", true, "ssh  -o StrictHostKeyChecking=no -o BatchMode=yes"},
		{module.Args{"key_file": "/k"}, "-p 2222", true, "ssh  -p 2222 -o BatchMode=yes  -i /k -o IdentitiesOnly=yes"},
	} {
		if got := sshCommand(c.args, c.opts, c.optsSet); got != c.want {
			t.Errorf("sshCommand(%v, %q) = %q, want %q", c.args, c.opts, got, c.want)
		}
	}
}

func TestRebootTables(t *testing.T) {
	debian := rebootDistribution{name: "debian", version: "12", family: "debian"}
	if got := debian.lookup(rebootShutdownArgs, "default"); got != "default" {
		t.Errorf("debian's shutdown args come from the default, got %q", got)
	}
	alpine := rebootDistribution{name: "alpine", version: "3", family: "alpine"}
	if got := alpine.lookup(rebootShutdownCommands, "shutdown"); got != "reboot" {
		t.Errorf("alpine reboots with %q", got)
	}
	linux := rebootDistribution{name: "arch", family: "linux"}
	if got := linux.lookup(rebootShutdownArgs, ""); got != `-r {delay_min} "{message}"` {
		t.Errorf("the linux family's args: %q", got)
	}
}
