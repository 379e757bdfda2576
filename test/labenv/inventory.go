package labenv

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// InventoryGroup is the group every lab host is in, whatever the lab's
// name, so that the same playbooks run against any lab.
const InventoryGroup = "lab"

// WriteInventory writes an Ansible inventory of the lab's targets to path,
// in format "ini" or "yaml", logging in as root. Both gorun and Ansible
// read it; host keys are checked against KnownHostsFile.
func (l *Lab) WriteInventory(path, format string) error {
	text, err := l.Inventory(format, "root")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		return fmt.Errorf("labenv: %w", err)
	}
	return nil
}

// Inventory renders the inventory of WriteInventory, logging in as user
// ("root" or BecomeUser; become tests use the latter).
func (l *Lab) Inventory(format, user string) (string, error) {
	vars := l.inventoryVars(user)
	var b strings.Builder
	switch format {
	case "ini":
		fmt.Fprintf(&b, "# Lab %q, written by gorun's labenv.\n[%s]\n", l.Name, InventoryGroup)
		for _, h := range l.Targets() {
			fmt.Fprintf(&b, "%s ansible_host=%s", h.Name, h.Addr)
			if h.Port != 22 {
				fmt.Fprintf(&b, " ansible_port=%d", h.Port)
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "\n[%s:vars]\n", InventoryGroup)
		for _, kv := range vars {
			v := kv[1]
			if strings.ContainsAny(v, " '\"#;") {
				v = "'" + v + "'"
			}
			fmt.Fprintf(&b, "%s=%s\n", kv[0], v)
		}
	case "yaml":
		fmt.Fprintf(&b, "# Lab %q, written by gorun's labenv.\nall:\n  children:\n    %s:\n      hosts:\n", l.Name, InventoryGroup)
		for _, h := range l.Targets() {
			fmt.Fprintf(&b, "        %s:\n          ansible_host: %s\n", h.Name, strconv.Quote(h.Addr))
			if h.Port != 22 {
				fmt.Fprintf(&b, "          ansible_port: %d\n", h.Port)
			}
		}
		b.WriteString("      vars:\n")
		for _, kv := range vars {
			fmt.Fprintf(&b, "        %s: %s\n", kv[0], strconv.Quote(kv[1]))
		}
	default:
		return "", fmt.Errorf("labenv: unknown inventory format %q (want ini or yaml)", format)
	}
	return b.String(), nil
}

// inventoryVars are the group variables of the lab's inventory, in order.
func (l *Lab) inventoryVars(user string) [][2]string {
	return [][2]string{
		{"ansible_user", user},
		{"ansible_ssh_private_key_file", l.KeyFile},
		{"ansible_ssh_common_args", "-o UserKnownHostsFile=" + l.KnownHostsFile + " -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"},
		{"ansible_become_password", l.BecomePassword},
		{"ansible_python_interpreter", "/usr/bin/python3"},
	}
}
