package labenv

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
)

// DefaultName is the name of the lab the static inventory in
// inventories/lab describes.
const DefaultName = "lab"

// StateRoot holds one directory per lab. Tests may point it elsewhere
// before calling Up.
var StateRoot = "/var/lib/gorun-lab"

// MaxHosts is the most hosts one lab holds: addresses .11 to .254 of its /24.
const MaxHosts = 244

var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$`)

// checkName reports whether name can name a lab: it becomes part of file
// and network namespace names.
func checkName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("labenv: invalid lab name %q: use letters, digits, '.', '_' and '-' (at most 63)", name)
	}
	return nil
}

var shortName = regexp.MustCompile(`^[a-z0-9]{1,6}$`)

// linkID is the part of interface names that identifies a lab. Linux limits
// interface names to 15 bytes, so long lab names are replaced by a hash.
func linkID(name string) string {
	if shortName.MatchString(name) {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:3])
}

// bridgeName is the lab's bridge in the machine's network namespace.
func bridgeName(name string) string { return "g" + linkID(name) + "-br" }

// vethName is the machine-side end of a host's veth pair ("glab-h1").
func vethName(name, host string) string { return "g" + linkID(name) + "-" + host }

// netnsName is the named network namespace of a host.
func netnsName(name, host string) string { return "gorun-" + name + "-" + host }

// hostName is the name of the i-th host (counting from 0).
func hostName(i int) string { return fmt.Sprintf("h%d", i+1) }

// natComment tags the lab's iptables rule so Down finds it again.
func natComment(name string) string { return "gorun-lab:" + name }
