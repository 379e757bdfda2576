package python_test

import (
	"testing"

	"gorun/test/labdiff"
)

// wheelSetup writes two versions of a tiny pure-Python wheel, gorun-hello
// 1.0 and 2.0, into /srv/wheels (built with zipfile: PyPI is not reachable
// and pip must install from a local directory), and a requirements file.
const wheelSetup = `set -e
mkdir -p /srv/wheels
cd /srv/wheels
for v in 1.0 2.0; do python3 - "$v" <<'PY'
import sys, zipfile
v = sys.argv[1]
info = "gorun_hello-%s.dist-info" % v
files = {
    "gorun_hello/__init__.py": "VERSION = %r\n" % v,
    info + "/METADATA": "Metadata-Version: 2.1\nName: gorun-hello\nVersion: %s\n" % v,
    info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: gorun-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
files[info + "/RECORD"] = "".join("%s,,\n" % n for n in list(files) + [info + "/RECORD"])
with zipfile.ZipFile("gorun_hello-%s-py3-none-any.whl" % v, "w") as z:
    for name, text in files.items():
        z.writestr(name, text)
PY
done
echo 'gorun-hello==1.0' > /srv/requirements.txt
ls /srv/wheels`

// TestPipLab installs, upgrades, reinstalls and removes the wheel in
// virtualenvs with Ansible's pip module and gorun's, and compares changed,
// the command lines and the other return values, then the packages left.
func TestPipLab(t *testing.T) {
	l := labdiff.Setup(t)
	keys := []string{"cmd", "name", "version", "state", "requirements", "virtualenv", "stdout", "stderr", "msg", "warnings"}
	venv := "virtualenv: /opt/venv, virtualenv_command: python3 -m venv"
	local := "extra_args: --no-index --find-links /srv/wheels"
	steps := []labdiff.Step{
		labdiff.Shell(wheelSetup),
		{Module: "pip", Args: "{name: gorun-hello, version: '1.0', " + venv + ", " + local + "}", Check: true, Keys: keys},
		{Module: "pip", Args: "{name: gorun-hello, version: '1.0', " + venv + ", " + local + "}", Keys: keys},
		{Module: "pip", Args: "{name: gorun-hello, version: '1.0', " + venv + ", " + local + "}", Keys: keys},
		// Without extra_args, check mode compares pip's list with the names.
		{Module: "pip", Args: "{name: 'gorun_hello==1.0', " + venv + "}", Check: true, Keys: keys},
		{Module: "pip", Args: "{name: ['gorun-hello>=1.0', '<3', Other], " + venv + "}", Check: true, Keys: keys},
		{Module: "pip", Args: "{name: 'gorun-hello>=2.0', " + venv + "}", Check: true, Keys: keys},
		{Module: "pip", Args: "{name: gorun-hello, state: absent, " + venv + "}", Check: true, Keys: keys},
		{Module: "pip", Args: "{name: gorun-hello, state: latest, " + venv + ", " + local + "}", Keys: keys},
		{Module: "pip", Args: "{name: gorun-hello, state: forcereinstall, " + venv + ", " + local + "}", Keys: keys},
		// A requirements file: changed is a difference in pip's list.
		{Module: "pip", Args: "{requirements: /srv/requirements.txt, " + venv + ", " + local + "}", Keys: keys},
		{Module: "pip", Args: "{requirements: /srv/requirements.txt, " + venv + ", " + local + "}", Keys: keys},
		labdiff.Shell("/opt/venv/bin/pip list --format=freeze | grep -i gorun"),
		{Module: "pip", Args: "{name: gorun-hello, state: absent, " + venv + "}", Keys: keys},
		{Module: "pip", Args: "{name: gorun-hello, state: absent, " + venv + "}", Keys: keys},
		// A relative virtualenv under chdir, with the site packages and a umask.
		{Module: "ansible.builtin.pip", Args: "{name: 'gorun-hello<2', virtualenv: venv2, chdir: /srv, virtualenv_command: python3 -m venv, virtualenv_site_packages: true, umask: '0077', " + local + "}", Keys: keys},
		labdiff.Shell("stat -c '%a %n' /srv/venv2/lib/python3*/site-packages/gorun_hello/__init__.py; grep include-system /srv/venv2/pyvenv.cfg"),
		// Errors: Ansible's messages.
		{Module: "pip", Args: "{name: [a, b], version: '1', " + venv + "}", Keys: keys},
		{Module: "pip", Args: "{name: 'a>1', version: '1', " + venv + "}", Keys: keys},
		{Module: "pip", Args: "{name: a, version: '1', state: latest, " + venv + "}", Keys: keys},
		{Module: "pip", Args: "{name: a, umask: '9x', " + venv + "}", Keys: keys},
		{Module: "pip", Args: "{name: a, virtualenv: /opt/venv3, virtualenv_command: python3 -m venv, virtualenv_python: python3}", Keys: keys},
		{Module: "pip", Args: "{name: a, virtualenv: /opt/venv4, virtualenv_command: no-such-virtualenv}", Keys: []string{"msg"}},
		// The system's Python is externally managed (PEP 668): pip refuses.
		{Module: "pip", Args: "{name: gorun-hello, " + local + "}", Keys: keys},
	}
	l.DiffPlay(t, steps)
}
