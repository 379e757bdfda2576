package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// examplesBlock matches a module's EXAMPLES assignment and its string,
// in the quoting Ansible's modules use (r”' ... ”', r""" ... """, ”' ...”').
var examplesBlock = regexp.MustCompile(`(?ms)^EXAMPLES\s*=\s*r?('''|""")(.*?)('''|""")`)

// ModuleExamples returns the EXAMPLES text of an Ansible module's Python
// source, as ansible-doc shows it: YAML, usually a list of tasks.
func ModuleExamples(source string) (string, error) {
	b, err := os.ReadFile(source)
	if err != nil {
		return "", fmt.Errorf("corpus: %w", err)
	}
	m := examplesBlock.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("corpus: %s has no EXAMPLES block", source)
	}
	return string(m[2]), nil
}

// fqcn is the example's module by its fully qualified name: Module itself
// when it names a collection, else the ansible.builtin module.
func (ex Example) fqcn() string {
	if strings.Count(ex.Module, ".") == 2 {
		return ex.Module
	}
	return "ansible.builtin." + ex.Module
}

// source is the Python file of the example's module: ansible-core's for a
// builtin, the collection's plugins/modules for others.
func (ex Example) source() string {
	parts := strings.Split(ex.fqcn(), ".")
	if parts[0] == "ansible" && parts[1] == "builtin" {
		return filepath.Join(builtinMods, parts[2]+".py")
	}
	return filepath.Join(collections, parts[0], parts[1], "plugins", "modules", parts[2]+".py")
}
