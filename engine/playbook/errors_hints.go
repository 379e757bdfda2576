package playbook

import (
	"regexp"
	"strings"
)

// The remediation texts Ansible appends to an error's excerpt
// (ansible/errors/yaml_strings.py), chosen by remediation.

// dictHelp is Ansible's YAML_COMMON_DICT_ERROR.
const dictHelp = `This one looks easy to fix. YAML thought it was looking for the start of a
hash/dictionary and was confused to see a second "{". Most likely this was
meant to be an ansible template evaluation instead, so we have to give the
parser a small hint that we wanted a string instead. The solution here is to
just quote the entire value.

For instance, if the original line was:

    app_path: {{ base_path }}/foo

It should be written as:

    app_path: "{{ base_path }}/foo"
`

// unquotedVariableHelp is Ansible's YAML_COMMON_UNQUOTED_VARIABLE_ERROR.
const unquotedVariableHelp = `We could be wrong, but this one looks like it might be an issue with
missing quotes. Always quote template expression brackets when they
start a value. For instance:

    with_items:
      - {{ foo }}

Should be written as:

    with_items:
      - "{{ foo }}"
`

// unquotedColonHelp is Ansible's YAML_COMMON_UNQUOTED_COLON_ERROR.
const unquotedColonHelp = `This one looks easy to fix. There seems to be an extra unquoted colon in the line
and this is confusing the parser. It was only expecting to find one free
colon. The solution is just add some quotes around the colon, or quote the
entire line after the first colon.

For instance, if the original line was:

    copy: src=file.txt dest=/path/filename:with_colon.txt

It can be written as:

    copy: src=file.txt dest='/path/filename:with_colon.txt'

Or:

    copy: 'src=file.txt dest=/path/filename:with_colon.txt'
`

// partiallyQuotedHelp is Ansible's YAML_COMMON_PARTIALLY_QUOTED_LINE_ERROR.
const partiallyQuotedHelp = `This one looks easy to fix. It seems that there is a value started
with a quote, and the YAML parser is expecting to see the line ended
with the same kind of quote. For instance:

    when: "ok" in result.stdout

Could be written as:

   when: '"ok" in result.stdout'

Or equivalently:

   when: "'ok' in result.stdout"
`

// unbalancedQuotesHelp is Ansible's YAML_COMMON_UNBALANCED_QUOTES_ERROR.
const unbalancedQuotesHelp = `We could be wrong, but this one looks like it might be an issue with
unbalanced quotes. If starting a value with a quote, make sure the
line ends with the same set of quotes. For instance this arbitrary
example:

    foo: "bad" "wolf"

Could be written as:

    foo: '"bad" "wolf"'
`

// shorthandHelp is Ansible's YAML_AND_SHORTHAND_ERROR.
const shorthandHelp = `There appears to be both 'k=v' shorthand syntax and YAML in this task. Only one syntax may be used.
`

// shorthandLine is what makes Ansible point at the line before the
// offending one: k=v shorthand there (beside YAML on the offending line).
var shorthandLine = regexp.MustCompile(`\w+(\s+)?=(\s+)?[\w/-]+`)

// remediation is the hint Ansible's AnsibleError._get_extended_error adds
// after the excerpt of target, the offending line, for an error at column
// col: unquoted templates, a template opening a mapping, an extra colon,
// or badly quoted values.
func remediation(target string, col int) string {
	stripped := strings.ReplaceAll(target, " ", "")
	switch {
	case strings.Contains(target, "{{") && strings.Contains(target, "}}") &&
		(!strings.Contains(target, `"{{`) || !strings.Contains(target, "'{{")):
		return unquotedVariableHelp
	case strings.Contains(stripped, ":{{") && strings.Contains(stripped, "}}"):
		return dictHelp
	case len(target) > 1 && len(target) > col && target[col] == ':' && strings.Count(target, ":") > 1:
		return unquotedColonHelp
	}
	parts := strings.Split(target, ":")
	if len(parts) < 2 {
		return ""
	}
	middle := strings.TrimSpace(parts[1])
	var help string
	if strings.HasPrefix(middle, "'") && !strings.HasSuffix(middle, "'") ||
		strings.HasPrefix(middle, `"`) && !strings.HasSuffix(middle, `"`) {
		help += partiallyQuotedHelp
	}
	// Python's precedence: (quoted at both ends and more than two single
	// quotes) or more than two double quotes.
	quoted := len(middle) > 0 && strings.ContainsAny(middle[:1], `"'`) && strings.ContainsAny(middle[len(middle)-1:], `"'`)
	if quoted && strings.Count(target, "'") > 2 || strings.Count(target, `"`) > 2 {
		help += unbalancedQuotesHelp
	}
	return help
}
