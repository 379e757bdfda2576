package facts

import (
	"strings"
)

// platformFacts follows module_utils/facts/system/platform.py on Linux.
func platformFacts(r *raw, f map[string]any) {
	u := r.uname()
	f["system"] = u.system
	f["kernel"] = u.release
	f["kernel_version"] = u.version
	machine, node := u.machine, u.node
	f["machine"] = machine
	f["nodename"] = node
	host, _, _ := strings.Cut(node, ".")
	f["hostname"] = host
	fqdn := getfqdn(r, node)
	f["fqdn"] = fqdn
	if _, domain, ok := strings.Cut(fqdn, "."); ok {
		f["domain"] = domain
	} else {
		f["domain"] = ""
	}

	// Ansible reports the bitness of its Python; a Python-free target's C
	// library word size is the nearest equivalent.
	bits, _ := r.cmd("long-bit")
	bits = strings.TrimSpace(bits)
	f["userspace_bits"] = bits
	f["architecture"] = machine
	if machine == "x86_64" {
		switch bits {
		case "64":
			f["userspace_architecture"] = "x86_64"
		case "32":
			f["userspace_architecture"] = "i386"
		}
	} else if len(machine) == 4 && machine[0] == 'i' && strings.HasSuffix(machine, "86") {
		f["architecture"] = "i386"
	}

	for _, p := range []string{"/var/lib/dbus/machine-id", "/etc/machine-id"} {
		if id, ok := r.file(p); ok && id != "" {
			f["machine_id"] = strings.Split(id, "\n")[0]
			break
		}
	}
}

// getfqdn is Python's socket.getfqdn(): the first name containing a dot
// among the canonical name and aliases of gethostbyaddr(hostname), else the
// canonical name, else the hostname itself.
func getfqdn(r *raw, node string) string {
	out, ok := r.cmd("hostbyaddr")
	if !ok {
		return node
	}
	fields := strings.Fields(strings.Split(out, "\n")[0])
	if len(fields) < 2 {
		return node
	}
	for _, name := range fields[1:] {
		if strings.Contains(name, ".") {
			return name
		}
	}
	return fields[1]
}
