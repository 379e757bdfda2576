package facts

import (
	"regexp"
	"sort"
	"strings"
)

// cpuinfoTech are the /proc/cpuinfo lines that betray a hypervisor, in
// Ansible's order (the IBM/S390 one: Ansible asks lscpu for the hypervisor first).
var cpuinfoTech = []struct {
	re   *regexp.Regexp
	tech string
}{
	{regexp.MustCompile(`^model name.*QEMU Virtual CPU`), "kvm"},
	{regexp.MustCompile(`^vendor_id.*User Mode Linux`), "uml"},
	{regexp.MustCompile(`^model name.*UML`), "uml"},
	{regexp.MustCompile(`^machine.*CHRP IBM pSeries .emulated by qemu.`), "kvm"},
	{regexp.MustCompile(`^vendor_id.*PowerVM Lx86`), "powervm_lx86"},
	{regexp.MustCompile(`^vendor_id.*IBM/S390`), "ibm_systemz"},
}

var (
	reDockerCgroup = regexp.MustCompile(`/docker(/|-[0-9a-f]+\.scope)`)
	reVxID         = regexp.MustCompile(`^VxID:\s+\d+`)
	reVxID0        = regexp.MustCompile(`^VxID:\s+0`)
)

// virtualFacts follows virtual/linux.py (LinuxVirtual.get_virtual_facts),
// without the dmidecode and lscpu probes (dmidecode needs root; the /sys DMI
// files give the same answers on current kernels).
func virtualFacts(r *raw, f map[string]any) {
	v := map[string]any{}
	found := false
	guest, host := map[string]bool{}, map[string]bool{}
	set := func(typ, role string) {
		if !found {
			v["virtualization_type"] = typ
			if role != "" {
				v["virtualization_role"] = role
			}
			found = true
		}
	}
	for _, line := range r.fileLines("/proc/1/cgroup") {
		if reDockerCgroup.MatchString(line) {
			guest["docker"] = true
			set("docker", "guest")
		}
		if strings.Contains(line, "/lxc/") || strings.Contains(line, "/machine.slice/machine-lxc") {
			guest["lxc"] = true
			set("lxc", "guest")
		}
		if strings.Contains(line, "/system.slice/containerd.service") {
			guest["containerd"] = true
			set("containerd", "guest")
		}
	}
	if environ, ok := r.files["/proc/1/environ"]; ok {
		for _, e := range strings.Split(environ, "\x00") {
			if strings.Contains(e, "container=lxc") {
				guest["lxc"] = true
				set("lxc", "guest")
			}
			if strings.Contains(e, "container=podman") {
				guest["podman"] = true
				set("podman", "guest")
			}
			if strings.HasPrefix(e, "container=") && len(e) > len("container=") {
				guest["container"] = true
				set("container", "guest")
			}
		}
	}
	if r.exists["/proc/vz"] && !r.exists["/proc/lve"] {
		v["virtualization_type"] = "openvz"
		if r.exists["/proc/bc"] {
			host["openvz"] = true
			if !found {
				v["virtualization_role"] = "host"
			}
		} else {
			guest["openvz"] = true
			if !found {
				v["virtualization_role"] = "guest"
			}
		}
		found = true
	}
	systemdContainer, _ := r.file("/run/systemd/container")
	if systemdContainer != "" {
		guest[systemdContainer] = true
		set(systemdContainer, "guest")
	}
	if r.exists["/.dockerenv"] || r.exists["/.dockerinit"] {
		guest["docker"] = true
		set("docker", "guest")
	}
	if guest["docker"] || guest["lxc"] || guest["podman"] || guest["openvz"] || guest["containerd"] || systemdContainer != "" {
		guest["container"] = true
	}
	if r.exists["/proc/xen"] {
		isHost := false
		for _, line := range r.fileLines("/proc/xen/capabilities") {
			if strings.Contains(line, "control_d") {
				isHost = true
			}
		}
		if isHost {
			host["xen"] = true
			if !found {
				v["virtualization_type"], v["virtualization_role"] = "xen", "host"
			}
		} else if !found {
			v["virtualization_type"], v["virtualization_role"] = "xen", "guest"
		}
		found = true
	}
	if !found {
		v["virtualization_role"] = "guest"
	}

	dmi := func(name string) string { s, _ := r.file("/sys/devices/virtual/dmi/id/" + name); return s }
	productName, sysVendor, productFamily, biosVendor := dmi("product_name"), dmi("sys_vendor"), dmi("product_family"), dmi("bios_vendor")
	guestType := func(tech, typ string) {
		guest[tech] = true
		if !found {
			v["virtualization_type"] = typ
			found = true
		}
	}
	switch productName {
	case "KVM", "KVM Server", "Bochs", "AHV":
		guestType("kvm", "kvm")
	}
	if sysVendor == "oVirt" {
		guestType("oVirt", "oVirt")
	}
	if sysVendor == "Red Hat" {
		if productFamily == "RHV" {
			guestType("RHV", "RHV")
		} else if productName == "RHEV Hypervisor" {
			guestType("RHEV", "RHEV")
		}
	}
	if productName == "VMware Virtual Platform" || productName == "VMware7,1" {
		guestType("VMware", "VMware")
	}
	if productName == "OpenStack Compute" || productName == "OpenStack Nova" {
		guestType("openstack", "openstack")
	}
	if biosVendor == "Xen" {
		guestType("xen", "xen")
	}
	if biosVendor == "innotek GmbH" {
		guestType("virtualbox", "virtualbox")
	}
	if biosVendor == "Amazon EC2" || biosVendor == "DigitalOcean" || biosVendor == "Hetzner" {
		guestType("kvm", "kvm")
	}
	switch sysVendor {
	case "QEMU", "Amazon EC2", "DigitalOcean", "Google", "Scaleway", "Nutanix":
		guestType("kvm", "kvm")
	case "KubeVirt":
		guestType("KubeVirt", "KubeVirt")
	case "Microsoft Corporation":
		guestType("VirtualPC", "VirtualPC")
	case "Parallels Software International Inc.":
		guestType("parallels", "parallels")
	case "OpenStack Foundation":
		guestType("openstack", "openstack")
	}
	if !found {
		delete(v, "virtualization_role")
	}

	for _, line := range strings.Split(r.files["/proc/self/status"], "\n") {
		if !reVxID.MatchString(line) {
			continue
		}
		if !found {
			v["virtualization_type"] = "linux_vserver"
		}
		if reVxID0.MatchString(line) {
			host["linux_vserver"] = true
			if !found {
				v["virtualization_role"] = "host"
			}
		} else {
			guest["linux_vserver"] = true
			if !found {
				v["virtualization_role"] = "guest"
			}
		}
		found = true
	}

	for _, line := range strings.Split(r.files["/proc/cpuinfo"], "\n") {
		tech := ""
		for _, c := range cpuinfoTech {
			if c.re.MatchString(line) {
				tech = c.tech
				break
			}
		}
		if tech == "" {
			continue
		}
		guest[tech] = true
		if !found {
			v["virtualization_type"], v["virtualization_role"] = tech, "guest"
			found = true
		}
	}

	if r.exists["/proc/modules"] {
		modules := map[string]bool{}
		for _, line := range r.fileLines("/proc/modules") {
			name, _, _ := strings.Cut(line, " ")
			modules[name] = true
		}
		if modules["kvm"] {
			host["kvm"] = true
			if !found {
				v["virtualization_type"], v["virtualization_role"] = "kvm", "host"
			}
			found = true
		}
		if modules["vboxdrv"] {
			host["virtualbox"] = true
			if !found {
				v["virtualization_type"], v["virtualization_role"] = "virtualbox", "host"
				found = true
			}
		}
		if modules["virtio"] {
			host["kvm"] = true
			if !found {
				v["virtualization_type"], v["virtualization_role"] = "kvm", "guest"
				found = true
			}
		}
	}
	if r.exists["/dev/kvm"] {
		host["kvm"] = true
		if !found {
			v["virtualization_type"], v["virtualization_role"] = "kvm", "host"
			found = true
		}
	}
	if !found {
		v["virtualization_type"], v["virtualization_role"] = "NA", "NA"
	}
	v["virtualization_tech_guest"] = sortedSet(guest)
	v["virtualization_tech_host"] = sortedSet(host)
	for k, x := range v {
		f[k] = x
	}
}

// sortedSet renders a Python set as a list; Python's order is arbitrary, gorun's sorted.
func sortedSet(s map[string]bool) []any {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}
