package corpus

import (
	"fmt"
	"os"
	"regexp"
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
