package rhel_test

import (
	"strings"
	"testing"

	"gorun/test/labdiff"
)

// rpmRepoSetup builds two versions of a dependency-free noarch package with
// rpmbuild, serves 2.0 from a local repository made with createrepo_c,
// keeps the 1.0 rpm file, and adds the repository to yum.repos.d.
const rpmRepoSetup = `set -e
cd /root
for v in 1.0 2.0; do
cat > hello.spec <<SPEC
Name: gorun-hello
Version: $v
Release: 1
Summary: gorun test package
License: MIT
BuildArch: noarch
AutoReqProv: no
%description
A package for gorun's tests.
%install
mkdir -p %{buildroot}/usr/share/gorun-hello
echo $v > %{buildroot}/usr/share/gorun-hello/VERSION
%files
/usr/share/gorun-hello/VERSION
SPEC
rpmbuild --quiet --define "_topdir /root/rpmbuild" -bb hello.spec >/dev/null 2>&1
done
mkdir -p /srv/gorun-repo /etc/yum.repos.d
# Only this repository: the yum_repository test's unreachable ones (with
# gpgcheck on and no key installed) would make dnf's command line refuse.
rm -f /etc/yum.repos.d/*.repo
mv /root/rpmbuild/RPMS/noarch/gorun-hello-2.0-1.noarch.rpm /srv/gorun-repo/
mv /root/rpmbuild/RPMS/noarch/gorun-hello-1.0-1.noarch.rpm /root/
createrepo_c -q /srv/gorun-repo
printf '[gorun]\nname=gorun test\nbaseurl=file:///srv/gorun-repo\ngpgcheck=0\n' > /etc/yum.repos.d/gorun.repo
echo ok`

// dnfPart installs, upgrades and removes a real rpm from a local file and
// a local repository with dnf (Debian's dnf on the lab hosts, rpm's
// database in root's home), with Ansible's dnf module and gorun's.
func dnfPart() labdiff.Part {
	keys := []string{"msg", "results", "rc", "failures"}
	dnf := func(args string, check bool) step {
		return step{Module: "ansible.builtin.dnf", Args: args, Check: check, Keys: keys}
	}
	steps := []step{
		shell(rpmRepoSetup),
		dnf("{name: /root/gorun-hello-1.0-1.noarch.rpm, disable_gpg_check: true}", true),
		dnf("{name: /root/gorun-hello-1.0-1.noarch.rpm, disable_gpg_check: true}", false),
		dnf("{name: gorun-hello, state: present}", false),
		dnf("{name: gorun-hello, state: latest}", true),
		dnf("{name: gorun-hello, state: latest, update_cache: true}", false),
		dnf("{name: gorun-hello, state: latest}", false),
		shell("rpm -q gorun-hello; cat /usr/share/gorun-hello/VERSION"),
		dnf("{name: nosuchpackage, state: present}", false),
		dnf("{name: gorun-hello, state: absent}", true),
		dnf("{name: gorun-hello, state: absent}", false),
		dnf("{name: /root/gorun-hello-1.0-1.noarch.rpm, state: absent}", false),
		{Module: "yum", Args: "{name: gorun-hello, use_backend: dnf}", Keys: keys},
		shell("rpm -q gorun-hello; cat /usr/share/gorun-hello/VERSION"),
	}
	return labdiff.Part{Steps: steps, Check: func(t *testing.T, got []labdiff.Result) {
		if out, _ := got[7]["stdout"].(string); !strings.Contains(out, "gorun-hello-2.0-1.noarch") {
			t.Errorf("state latest did not upgrade to 2.0:\n%s", out)
		}
	}}
}
