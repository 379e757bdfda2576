package system

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"gorun/engine/module"
	"gorun/engine/shell"
)

// pamLimitsModule is community.general.pam_limits, a port of its line by line
// rewrite of limits.conf (quirks included: a comment found on an earlier line
// is reused for the new limit when comment is not given).
type pamLimitsModule struct{}

func init() { module.Register(pamLimitsModule{}) }

func (pamLimitsModule) Doc() *module.Doc { return pamDoc }

var (
	spaceRunRE = regexp.MustCompile(`\s+`)
	digitsRE   = regexp.MustCompile(`^[0-9]+$`)
)

// pamValueError is _assert_is_valid_value's message, "" when the value is valid.
func pamValueError(item, value, prefix string) string {
	if item == "nice" || item == "priority" {
		if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && n >= -20 && n <= 19 {
			return ""
		}
		return fmt.Sprintf("%s Value of '%s' for item '%s' is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.", prefix, value, item)
	}
	if value == "unlimited" || value == "infinity" || value == "-1" || digitsRE.MatchString(value) {
		return ""
	}
	return fmt.Sprintf("%s Value of '%s' for item '%s' is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.", prefix, value, item)
}

func (pamLimitsModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	domain, typ, item, value := a.String("domain"), a.String("limit_type"), a.String("limit_item"), a.String("value")
	useMax, useMin, conf, newComment := a.Bool("use_max"), a.Bool("use_min"), a.String("dest"), a.String("comment")
	if a.Bool("backup") {
		return module.Failed("gorun's pam_limits module does not support backup yet"), nil
	}
	changed := false
	q := shell.Quote(conf)
	o, err := t.Sh(nil, "if test -f "+q+"; then test -w "+q+" || echo notwritable; elif test -d "+shell.Quote(path.Dir(conf))+" && test -w "+shell.Quote(path.Dir(conf))+"; then : > "+q+" && echo created; else echo nodir; fi")
	if err != nil {
		return nil, err
	}
	switch strings.TrimSpace(o.Stdout) {
	case "notwritable":
		return module.Failed(conf + " is not writable. Use sudo"), nil
	case "nodir":
		return module.Failed(fmt.Sprintf("directory %s is not writable (check presence, access rights, use sudo)", path.Dir(conf))), nil
	case "created":
		changed = true
	}
	if useMax && useMin {
		return module.Failed("Cannot use use_min and use_max at the same time."), nil
	}
	if msg := pamValueError(item, value, ""); msg != "" {
		return module.Failed(msg), nil
	}
	current, _, err := t.readFile(conf)
	if err != nil {
		return nil, err
	}
	var out strings.Builder
	found := false
	newValue := value
	message := ""
	limitLine := func() string {
		c := newComment
		if c != "" {
			c = "\t#" + c
		}
		return domain + "\t" + typ + "\t" + item + "\t" + newValue + c + "\n"
	}
	for _, line := range strings.SplitAfter(current, "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			out.WriteString(line)
			continue
		}
		nl := strings.TrimSpace(spaceRunRE.ReplaceAllString(line, " "))
		if nl == "" {
			out.WriteString(line)
			continue
		}
		nl, _, _ = strings.Cut(nl, "#")
		oldComment := ""
		if _, c, ok := strings.Cut(line, "#"); ok {
			oldComment = c
		}
		nl = strings.TrimRight(nl, " \t\r\n")
		if newComment == "" {
			newComment = oldComment
		}
		f := strings.Split(nl, " ")
		if len(f) != 4 {
			out.WriteString(line)
			continue
		}
		if msg := pamValueError(f[2], f[3], fmt.Sprintf("Invalid configuration found in '%s'.", conf)); msg != "" {
			return module.Failed(msg), nil
		}
		if f[0] != domain || f[1] != typ || f[2] != item {
			out.WriteString(line)
			continue
		}
		found = true
		actual := f[3]
		if value == actual {
			message = line
			out.WriteString(line)
			continue
		}
		unl := func(v string) bool { return v == "unlimited" || v == "infinity" || v == "-1" }
		// Ansible compares line_type (soft/hard), never nice or priority, here.
		actualUnl, valueUnl := unl(actual), unl(value)
		vi, _ := strconv.Atoi(value)
		ai, _ := strconv.Atoi(actual)
		switch {
		case useMax && actualUnl:
			newValue = actual
		case useMax && valueUnl:
			newValue = value
		case useMax:
			newValue = strconv.Itoa(max(vi, ai))
		case useMin && actualUnl && valueUnl:
			newValue = actual
		case useMin && actualUnl:
			newValue = value
		case useMin && valueUnl:
			newValue = actual
		case useMin:
			newValue = strconv.Itoa(min(vi, ai))
		}
		if newValue != actual {
			changed = true
			message = limitLine()
			out.WriteString(message)
		} else {
			message = line
			out.WriteString(line)
		}
	}
	if !found {
		changed = true
		message = limitLine()
		out.WriteString(message)
	}
	if !call.Check {
		if err := t.writeFile(conf, out.String(), "0644"); err != nil {
			return nil, err
		}
	}
	return module.Result{"changed": changed, "msg": message, "diff": map[string]any{"before": current, "after": out.String()}}, nil
}

var pamDoc = &module.Doc{
	Name:  "pam_limits",
	Names: []string{"community.general.pam_limits"},
	Short: "Modify Linux PAM limits",
	Description: []string{
		"The pam_limits module modifies PAM limits.",
		"The default file is /etc/security/limits.conf.",
		"For the full documentation, see man 5 limits.conf.",
	},
	Options: []module.Option{
		{Name: "backup", Type: "bool", Default: false, Description: "Create a backup file including the timestamp information so you can get the original file back if you somehow clobbered it incorrectly."},
		{Name: "comment", Default: "", Description: "Comment associated with the limit."},
		{Name: "dest", Default: "/etc/security/limits.conf", Description: "Modify the limits.conf path."},
		{Name: "domain", Required: true, Description: "A username, @groupname, wildcard, UID/GID range."},
		{Name: "limit_item", Required: true, Choices: []any{"core", "data", "fsize", "memlock", "nofile", "rss", "stack", "cpu", "nproc", "as", "maxlogins", "maxsyslogins", "priority", "locks", "sigpending", "msgqueue", "nice", "rtprio", "chroot"}, Description: "The limit to be set."},
		{Name: "limit_type", Required: true, Choices: []any{"hard", "soft", "-"}, Description: "Limit type, see man 5 limits.conf for an explanation."},
		{Name: "use_max", Type: "bool", Default: false, Description: "If set to true, the maximal value will be used or conserved. If the specified value is superior to the value in the file, file content is replaced with the new value, else content is not modified."},
		{Name: "use_min", Type: "bool", Default: false, Description: "If set to true, the minimal value will be used or conserved. If the specified value is inferior to the value in the file, file content is replaced with the new value, else content is not modified."},
		{Name: "value", Required: true, Description: "The value of the limit. Value must either be unlimited, infinity or -1, all of which indicate no limit, or a limit of 0 or larger. Value must be a number in the range -20 to 19 inclusive, if limit_item is set to nice or priority. Refer to the man 5 limits.conf manual pages for more details."},
	},
	Check: module.Full,
	Diff:  module.Full,
	Examples: `- name: Add or modify nofile soft limit for the user joe
  community.general.pam_limits:
    domain: joe
    limit_type: soft
    limit_item: nofile
    value: 64000

- name: Add or modify fsize hard limit for the user smith. Keep or set the maximal value
  community.general.pam_limits:
    domain: smith
    limit_type: hard
    limit_item: fsize
    value: 1000000
    use_max: true

- name: Add or modify memlock, both soft and hard, limit for the user james with a comment
  community.general.pam_limits:
    domain: james
    limit_type: '-'
    limit_item: memlock
    value: unlimited
    comment: unlimited memory lock for james

- name: Add or modify hard nofile limits for wildcard domain
  community.general.pam_limits:
    domain: '*'
    limit_type: hard
    limit_item: nofile
    value: 39693561`,
}
