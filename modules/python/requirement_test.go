package python

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// ansiblePackages runs Ansible's own _recover_package_name and Package on
// the names (and version) of each case and prints, for each package, what pip is given,
// the canonical name, whether it has a version specifier and whether it is
// satisfied by "1.5".
const ansiblePackages = `
import json, sys
from ansible.modules.pip import Package, _recover_package_name
out = []
for names, version in json.loads(sys.argv[1]):
    pkgs = [Package(p) for p in _recover_package_name(names)]
    if version:
        pkgs[0] = Package(str(pkgs[0]), version)
    out.append([[str(p), p.package_name, p.has_version_specifier, p.is_satisfied_by("1.5")] for p in pkgs])
print(json.dumps(out))
`

// TestRequirementsMatchAnsible compares the Go reading of pip names with
// Ansible's module code (pkg_resources) on the controller, run with the
// Python ansible-core is installed for.
func TestRequirementsMatchAnsible(t *testing.T) {
	cases := []struct {
		names   []string
		version string
	}{
		{[]string{"bottle"}, ""},
		{[]string{"bottle==0.11"}, ""},
		{[]string{"bottle>0.10,<0.20,!=0.11"}, ""},
		{[]string{"django>1.11.0,<1.12.0", "bottle>0.10,<0.20,!=0.11"}, ""},
		{[]string{"django>1.11.1", "<1.11.3", "ipaddress", "simpleproject>1.1.0", "<2.0.0"}, ""},
		{[]string{"Django_Rest.Framework >= 1.0 , < 2"}, ""},
		{[]string{"requests[security,socks]>=1.4"}, ""},
		{[]string{"pkg[b,a]"}, ""},
		{[]string{"gorun-hello"}, "1.0"},
		{[]string{"gorun-hello"}, ">=1.2"},
		{[]string{"gorun-hello"}, "~=1.4"},
		{[]string{"foo==1.*"}, ""},
		{[]string{"file:///path/to/MyApp.tar.gz"}, ""},
		{[]string{"git+http://myrepo/app/MyApp"}, ""},
		{[]string{"/srv/wheels/x-1.0-py3-none-any.whl"}, ""},
		{[]string{"name @ https://example.com/x.whl"}, ""},
		{[]string{"foo>=1.0a1"}, ""},
		{[]string{"foo<=1.5.post1"}, ""},
	}
	var in [][]any
	for _, c := range cases {
		in = append(in, []any{c.names, c.version})
	}
	arg, _ := json.Marshal(in)
	out, err := exec.Command("/usr/bin/python3", "-c", ansiblePackages, string(arg)).CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	var wants [][][]any
	if err := json.Unmarshal(out, &wants); err != nil || len(wants) != len(cases) {
		t.Fatalf("%s: %v", out, err)
	}
	for i, c := range cases {
		want := wants[i]
		var got [][]any
		for _, n := range recoverPackageNames(c.names) {
			r := parseRequirement(n, "")
			if c.version != "" && len(got) == 0 {
				r = parseRequirement(r.String(), c.version)
			}
			got = append(got, []any{r.String(), r.packageName(), r.hasVersionSpecifier(), r.satisfiedBy("1.5")})
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Errorf("%s %q:\n gorun   %s\n ansible %s", strings.Join(c.names, " | "), c.version, g, w)
		}
	}
}
