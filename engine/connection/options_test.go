package connection

import (
	"strings"
	"testing"
)

func TestParseSSHArgs(t *testing.T) {
	// Ansible's default ssh_args and the options its ssh plugin adds.
	o, err := parseSSHArgs("-C -o ControlMaster=auto -o ControlPersist=60s",
		"-o StrictHostKeyChecking=no -o Port=2200 -o 'IdentityFile=\"/k 1\"' -o KbdInteractiveAuthentication=no "+
			"-o PreferredAuthentications=gssapi-with-mic,gssapi-keyex,hostbased,publickey -o PasswordAuthentication=no "+
			"-o 'User=\"deploy\"' -o ConnectTimeout=10 -o ControlPath=\"/root/.ansible/cp/abc\"",
		"-o Port=2300 -J jump@bastion:2222 -i /k2 -l other -o ServerAliveInterval=5")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"stricthostkeychecking": "no", "port": "2200", "user": "deploy", "connecttimeout": "10",
		"proxyjump": "jump@bastion:2222", "serveraliveinterval": "5",
	}
	for k, v := range want {
		if o.values[k] != v {
			t.Errorf("option %s = %q, want %q (the first value given wins)", k, o.values[k], v)
		}
	}
	if strings.Join(o.identityFiles, "|") != "/k 1|/k2" {
		t.Errorf("identity files %q", o.identityFiles)
	}
}

func TestParseSSHArgsRejectsUnsupported(t *testing.T) {
	for args, name := range map[string]string{
		"-o Ciphers=aes128-ctr":             `"ciphers"`,
		"-o RemoteCommand=id":               `"remotecommand"`,
		"-L 8080:localhost:80":              "-L",
		"-o LocalForward='80 localhost:80'": `"localforward"`,
		"host.example.com":                  `"host.example.com"`,
	} {
		_, err := parseSSHArgs(args)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("parseSSHArgs(%q): error %v, want one naming %s", args, err, name)
		}
	}
}

func TestSudoFlagsWithoutNonInteractive(t *testing.T) {
	for in, want := range map[string]string{
		"-H -S -n":             "-H -S",
		"-HSn":                 "-HS",
		"-n":                   "",
		"--non-interactive -E": "-E",
		"-H -S --preserve-env": "-H -S --preserve-env",
	} {
		if got := withoutNonInteractive(in); got != want {
			t.Errorf("withoutNonInteractive(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBuildPlanSudoLine(t *testing.T) {
	p, err := buildPlan("echo hi", ExecOptions{Become: &Become{Enabled: true, User: "app", Password: "s3cr3t-Pa55"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.line, "s3cr3t-Pa55") {
		t.Errorf("the become password is on the command line: %s", p.line)
	}
	prefix := `sudo -H -S -p "[sudo via ansible, key=`
	if !strings.HasPrefix(p.line, prefix) || !strings.Contains(p.line, "] password:\" -u app /bin/sh -c 'echo BECOME-SUCCESS-") {
		t.Errorf("sudo command line %q is not Ansible's", p.line)
	}
}
