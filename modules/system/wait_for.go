package system

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"gorun/engine/module"
	"gorun/engine/shell"
	"gorun/modules/internal/remotecmd"
)

// waitForModule is ansible.builtin.wait_for: it polls, from the target, a TCP
// port (with bash's /dev/tcp) or a file, until the wanted state or the timeout.
type waitForModule struct{}

func init() { module.Register(waitForModule{}) }

func (waitForModule) Doc() *module.Doc { return waitForDoc }

// connectionStates are the TCP states active_connection_states may name.
var connectionStates = map[string]bool{"ESTABLISHED": true, "SYN_SENT": true, "SYN_RECV": true, "FIN_WAIT1": true,
	"FIN_WAIT2": true, "TIME_WAIT": true, "CLOSE": true, "CLOSE_WAIT": true, "LAST_ACK": true, "LISTEN": true, "CLOSING": true}

func (waitForModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	a := call.Args
	t := newTarget(ctx, call)
	host, port, path, state := a.String("host"), a.Int("port"), a.String("path"), a.String("state")
	regex, msg := a.String("search_regex"), a.String("msg")
	failElapsed := func(m string, elapsed int) (module.Result, error) {
		if msg != "" {
			m = msg
		}
		return module.Result{"failed": true, "msg": m, "elapsed": elapsed}, nil
	}
	var re *regexp.Regexp
	if a.Has("search_regex") {
		var err error
		if re, err = regexp.Compile("(?m)" + regex); err != nil {
			return module.Failed("Invalid regular expression: " + err.Error()), nil
		}
	}
	switch {
	case port != 0 && path != "":
		return failElapsed("port and path parameter can not both be passed to wait_for", 0)
	case path != "" && state == "stopped":
		return failElapsed("state=stopped should only be used for checking a port in the wait_for module", 0)
	case path != "" && state == "drained":
		return failElapsed("state=drained should only be used for checking a port in the wait_for module", 0)
	case a.Has("exclude_hosts") && state != "drained":
		return failElapsed("exclude_hosts should only be with state=drained", 0)
	case state == "drained":
		return module.Failed("gorun's wait_for module does not support state=drained yet"), nil
	}
	for _, s := range a.Strings("active_connection_states") {
		if !connectionStates[s] {
			return failElapsed(fmt.Sprintf("unknown active_connection_state (%s) defined", s), 0)
		}
	}

	sleep := func(d time.Duration) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
			return nil
		}
	}
	start := time.Now()
	elapsed := func() int { return int(time.Since(start).Seconds()) }
	if err := sleep(time.Duration(a.Int("delay")) * time.Second); err != nil {
		return nil, err
	}
	end := start.Add(time.Duration(a.Int("timeout")) * time.Second)
	interval := time.Duration(a.Int("sleep")) * time.Second
	connectTimeout := a.Int("connect_timeout")
	dialScript := func(tmo int, read bool) string {
		s := fmt.Sprintf("exec 3<>/dev/tcp/%s/%d", host, port)
		if read {
			s += "; cat <&3"
		}
		return "timeout " + strconv.Itoa(tmo) + " bash -c " + shell.Quote(s) + " 2>/dev/null"
	}
	result := module.Result{"changed": false, "state": state, "port": nilIfZero(port), "search_regex": nilIfEmpty(regex),
		"match_groups": []any{}, "match_groupdict": map[string]any{}, "path": nilIfEmpty(path)}

	switch {
	case port == 0 && path == "":
		if err := sleep(time.Duration(a.Int("timeout")) * time.Second); err != nil {
			return nil, err
		}
	case state == "absent" || state == "stopped":
		for {
			if !time.Now().Before(end) {
				if port != 0 {
					return failElapsed(fmt.Sprintf("Timeout when waiting for %s:%d to stop.", host, port), elapsed())
				}
				return failElapsed(fmt.Sprintf("Timeout when waiting for %s to be absent.", path), elapsed())
			}
			var o remotecmd.Output
			var err error
			if path != "" {
				o, err = t.Sh(nil, "test -e "+shell.Quote(path))
			} else {
				o, err = t.Sh(nil, dialScript(connectTimeout, false))
			}
			if err != nil {
				return nil, err
			}
			if o.RC != 0 {
				break
			}
			if err := sleep(interval); err != nil {
				return nil, err
			}
		}
	default: // started, present
		for {
			if !time.Now().Before(end) {
				switch {
				case port != 0 && regex != "":
					return failElapsed(fmt.Sprintf("Timeout when waiting for search string %s in %s:%d", regex, host, port), elapsed())
				case port != 0:
					return failElapsed(fmt.Sprintf("Timeout when waiting for %s:%d", host, port), elapsed())
				case regex != "":
					return failElapsed(fmt.Sprintf("Timeout when waiting for search string %s in %s", regex, path), elapsed())
				}
				return failElapsed(fmt.Sprintf("Timeout when waiting for file %s", path), elapsed())
			}
			done := false
			if path != "" && re == nil {
				// Existence only, as Ansible's os.stat: the path may be a
				// socket or a device that cannot be read.
				o, err := t.Sh(nil, "test -e "+shell.Quote(path))
				if err != nil {
					return nil, err
				}
				done = o.RC == 0
			} else if path != "" {
				content, exists, err := t.readFile(path)
				if err != nil {
					return nil, err
				}
				if exists {
					if m := re.FindStringSubmatch(content); m != nil {
						done = true
						groups := []any{}
						dict := map[string]any{}
						for i, g := range m[1:] {
							groups = append(groups, g)
							if n := re.SubexpNames()[i+1]; n != "" {
								dict[n] = g
							}
						}
						result["match_groups"], result["match_groupdict"] = groups, dict
					}
				}
			} else {
				left := int(time.Until(end).Seconds() + 0.999)
				tmo := min(connectTimeout, max(left, 1))
				if re != nil {
					tmo = max(left, 1)
				}
				o, err := t.Sh(nil, dialScript(tmo, re != nil))
				if err != nil {
					return nil, err
				}
				// timeout's 124 after a connection that stayed open still means it connected.
				connected := o.RC == 0 || re != nil && o.Stdout != ""
				done = connected && (re == nil || re.MatchString(o.Stdout))
			}
			if done {
				break
			}
			if err := sleep(interval); err != nil {
				return nil, err
			}
		}
	}
	result["elapsed"] = elapsed()
	return result, addPathInfo(t, result)
}

func nilIfZero(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

var waitForDoc = &module.Doc{
	Name:  "wait_for",
	Names: []string{"ansible.builtin.wait_for"},
	Short: "Waits for a condition before continuing",
	Description: []string{
		"You can wait for a set amount of time timeout, this is the default if nothing is specified or just timeout is specified. This does not produce an error.",
		"Waiting for a port to become available is useful for when services are not immediately available after their init scripts return which is true of certain Java application servers.",
		"It is also useful when starting guests with the community.libvirt.virt module and needing to pause until they are ready.",
		"This module can also be used to wait for a regex match a string to be present in a file.",
		"In Ansible 1.6 and later, this module can also be used to wait for a file to be available or absent on the filesystem.",
		"In Ansible 1.8 and later, this module can also be used to wait for active connections to be closed before continuing, useful if a node is being rotated out of a load balancer pool.",
		"For Windows targets, use the ansible.windows.win_wait_for module instead.",
	},
	Options: []module.Option{
		{Name: "active_connection_states", Type: "list", Elements: "str", Default: []any{"ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "SYN_RECV", "SYN_SENT", "TIME_WAIT"}, Description: "The list of TCP connection states which are counted as active connections."},
		{Name: "connect_timeout", Type: "int", Default: 5, Description: "Maximum number of seconds to wait for a connection to happen before closing and retrying."},
		{Name: "delay", Type: "int", Default: 0, Description: "Number of seconds to wait before starting to poll."},
		{Name: "exclude_hosts", Type: "list", Elements: "str", Description: "List of hosts or IPs to ignore when looking for active TCP connections for drained state."},
		{Name: "host", Default: "127.0.0.1", Description: "A resolvable hostname or IP address to wait for."},
		{Name: "msg", Description: "This overrides the normal error message from a failure to meet the required conditions."},
		{Name: "path", Type: "path", Description: "Path to a file on the filesystem that must exist before continuing. path and port are mutually exclusive parameters."},
		{Name: "port", Type: "int", Description: "Port number to poll. path and port are mutually exclusive parameters."},
		{Name: "search_regex", Description: "Can be used to match a string in either a file or a socket connection. Defaults to a multiline regex."},
		{Name: "sleep", Type: "int", Default: 1, Description: "Number of seconds to sleep between checks. Before Ansible 2.3 this was hardcoded to 1 second."},
		{Name: "state", Default: "started", Choices: []any{"absent", "drained", "present", "started", "stopped"}, Description: "Either present, started, or stopped, absent, or drained. When checking a port started will ensure the port is open, stopped will check that it is closed, drained will check for active connections. When checking for a file or a search string present or started will ensure that the file or string is present before continuing, absent will check that file is absent or removed."},
		{Name: "timeout", Type: "int", Default: 300, Description: "Maximum number of seconds to wait for, when used with another condition it will force an error. When used without other conditions it is equivalent of just sleeping."},
	},
	Notes: []string{
		"Ports are checked from the target with bash's /dev/tcp (bash and timeout must be there); search_regex is a Go regular expression (RE2), which matches what Python's re does for common patterns.",
		"Not supported yet (a clear error): state=drained.",
	},
	Check: module.Full,
	Diff:  module.None,
	Examples: `- name: Sleep for 300 seconds and continue with play
  ansible.builtin.wait_for:
    timeout: 300
  delegate_to: localhost

- name: Wait for port 8000 to become open on the host, don't start checking for 10 seconds
  ansible.builtin.wait_for:
    port: 8000
    delay: 10

- name: Waits for port 8000 of any IP to close active connections, don't start checking for 10 seconds
  ansible.builtin.wait_for:
    host: 0.0.0.0
    port: 8000
    delay: 10
    state: drained

- name: Wait for port 8000 of any IP to close active connections, ignoring connections for specified hosts
  ansible.builtin.wait_for:
    host: 0.0.0.0
    port: 8000
    state: drained
    exclude_hosts: 10.2.1.2,10.2.1.3

- name: Wait until the file /tmp/foo is present before continuing
  ansible.builtin.wait_for:
    path: /tmp/foo

- name: Wait until the string "completed" is in the file /tmp/foo before continuing
  ansible.builtin.wait_for:
    path: /tmp/foo
    search_regex: completed

- name: Wait until regex pattern matches in the file /tmp/foo and print the matched group
  ansible.builtin.wait_for:
    path: /tmp/foo
    search_regex: completed (?P<task>\w+)
  register: waitfor
- ansible.builtin.debug:
    msg: Completed {{ waitfor['match_groupdict']['task'] }}

- name: Wait until the lock file is removed
  ansible.builtin.wait_for:
    path: /var/lock/file.lock
    state: absent

- name: Wait until the process is finished and pid was destroyed
  ansible.builtin.wait_for:
    path: /proc/3466/status
    state: absent

- name: Output customized message when failed
  ansible.builtin.wait_for:
    path: /tmp/foo
    state: present
    msg: Timeout to find file /tmp/foo

# Do not assume the inventory_hostname is resolvable and delay 10 seconds at start
- name: Wait 300 seconds for port 22 to become open and contain "OpenSSH"
  ansible.builtin.wait_for:
    port: 22
    host: '{{ (ansible_ssh_host|default(ansible_host))|default(inventory_hostname) }}'
    search_regex: OpenSSH
    delay: 10
  connection: local

# Same as above but you normally have ansible_connection set in inventory, which overrides 'connection'
- name: Wait 300 seconds for port 22 to become open and contain "OpenSSH"
  ansible.builtin.wait_for:
    port: 22
    host: '{{ (ansible_ssh_host|default(ansible_host))|default(inventory_hostname) }}'
    search_regex: OpenSSH
    delay: 10
  vars:
    ansible_connection: local`,
	Returns: []module.Return{
		{Name: "elapsed", Description: "The number of seconds that elapsed while waiting", Returned: "always", Type: "int"},
		{Name: "match_groupdict", Description: "Dictionary containing all the named subgroups of the match, keyed by the subgroup name, as returned by https://docs.python.org/3/library/re.html#re.MatchObject.groupdict", Returned: "always", Type: "dict"},
		{Name: "match_groups", Description: "Tuple containing all the subgroups of the match as returned by https://docs.python.org/3/library/re.html#re.MatchObject.groups", Returned: "always", Type: "list"},
	},
}
