package system

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"gorun/engine/connection"
	"gorun/engine/module"
	"gorun/modules/internal/remotecmd"
)

// rebootModule is ansible.builtin.reboot, a port of its action plugin: read
// the boot id, run the shutdown command, then open fresh connections until
// the boot id has changed and the test command succeeds, backing off as
// Ansible does. The next task uses the new connection.
type rebootModule struct{}

func init() { module.Register(rebootModule{}) }

func (rebootModule) Doc() *module.Doc { return rebootDoc }

// The per-system tables of Ansible's reboot action, keyed by distribution
// name, then OS family ("linux" is the family every Linux falls back to).
var (
	rebootBootTimeCommands = map[string]string{
		"freebsd": "/sbin/sysctl kern.boottime", "openbsd": "/sbin/sysctl kern.boottime",
		"macosx": "who -b", "solaris": "who -b", "sunos": "who -b", "aix": "who -b",
		"vmkernel": "grep booted /var/log/vmksummary.log | tail -n 1",
	}
	rebootShutdownCommands = map[string]string{"alpine": "reboot", "vmkernel": "reboot"}
	rebootShutdownArgs     = map[string]string{
		"alpine": "", "void": `-r +{delay_min} "{message}"`, "freebsd": `-r +{delay_sec}s "{message}"`,
		"linux": `-r {delay_min} "{message}"`, "macosx": `-r +{delay_min} "{message}"`,
		"openbsd": `-r +{delay_min} "{message}"`, "solaris": `-y -g {delay_sec} -i 6 "{message}"`,
		"sunos": `-y -g {delay_sec} -i 6 "{message}"`, "vmkernel": "-d {delay_sec}", "aix": "-Fr",
	}
	rebootTestCommands = map[string]string{"solaris": "who", "vmkernel": "who"}
)

// rebootDistribution is what the action reads from the setup module's
// minimal facts: lower-case distribution name, major version and family.
type rebootDistribution struct{ name, version, family string }

// lookup is _get_value_from_facts.
func (d rebootDistribution) lookup(table map[string]string, def string) string {
	for _, k := range []string{d.name + d.version, d.name, d.family} {
		if v, ok := table[k]; ok {
			return v
		}
	}
	return def
}

// rebootDistributionOf reads the distribution from the task's facts or,
// without them, from the target's os-release and uname.
func rebootDistributionOf(t *target, vars map[string]any) (rebootDistribution, error) {
	fact := func(name string) string {
		if v, ok := vars["ansible_"+name]; ok && v != nil {
			return fmt.Sprint(v)
		}
		return ""
	}
	d := rebootDistribution{name: fact("distribution"), version: fact("distribution_version"), family: fact("os_family")}
	if d.name == "" || d.family == "" {
		o, err := t.Sh(nil, `uname -s; . /etc/os-release 2>/dev/null; echo "$ID"; echo "$VERSION_ID"`)
		if err != nil {
			return d, err
		}
		f := strings.Split(strings.TrimRight(o.Stdout, "\n")+"\n\n\n", "\n")
		kernel, id, version := strings.ToLower(f[0]), f[1], f[2]
		d = rebootDistribution{name: id, version: version, family: kernel}
		switch kernel {
		case "darwin":
			d.name, d.family = "macosx", "darwin"
		case "sunos":
			d.name, d.family = "solaris", "solaris"
		case "linux":
			d.family = linuxFamily(id)
		}
		if d.name == "" {
			d.name = kernel
		}
	}
	d.name, d.family = strings.ToLower(d.name), strings.ToLower(d.family)
	d.version, _, _ = strings.Cut(d.version, ".")
	return d, nil
}

// linuxFamily is the os_family Ansible gives the common os-release IDs;
// the reboot tables only need Alpine's and Void's names and "linux" apart.
func linuxFamily(id string) string {
	switch id {
	case "debian", "ubuntu", "raspbian", "linuxmint":
		return "debian"
	case "rhel", "centos", "fedora", "rocky", "almalinux", "ol", "amzn":
		return "redhat"
	case "alpine":
		return "alpine"
	}
	return "linux"
}

// rebootRun is one reboot task.
type rebootRun struct {
	call *module.Call
	dist rebootDistribution
}

// execOver runs a command over conn as _low_level_execute_command does.
func execOver(ctx context.Context, conn connection.Conn, cmd string) (remotecmd.Output, error) {
	res, err := conn.Exec(ctx, cmd, connection.ExecOptions{})
	if err != nil {
		return remotecmd.Output{}, err
	}
	return remotecmd.Output{RC: res.ExitCode, Stdout: string(res.Stdout), Stderr: string(res.Stderr)}, nil
}

// bootTime is get_system_boot_time.
func (r *rebootRun) bootTime(ctx context.Context, conn connection.Conn) (string, error) {
	cmd := r.dist.lookup(rebootBootTimeCommands, "cat /proc/sys/kernel/random/boot_id")
	if c := r.call.Args.String("boot_time_command"); c != "" {
		cmd = c
	}
	o, err := execOver(ctx, conn, cmd)
	if err != nil {
		return "", err
	}
	if o.RC != 0 {
		return "", fmt.Errorf("%s: failed to get host boot time info, rc: %d, stdout: %s, stderr: %s", r.call.Module, o.RC, o.Stdout, o.Stderr)
	}
	return strings.TrimSpace(o.Stdout), nil
}

// shutdownCommand is get_shutdown_command and get_shutdown_command_args.
func (r *rebootRun) shutdownCommand(t *target) (string, error) {
	a := r.call.Args
	var bin, args string
	if a.Has("reboot_command") && a.String("reboot_command") != "[determined based on target OS]" {
		bin, args, _ = strings.Cut(a.String("reboot_command"), " ")
	} else {
		bin = r.dist.lookup(rebootShutdownCommands, "shutdown")
		delay := max(a.Int("pre_reboot_delay"), 0)
		args = strings.NewReplacer("{delay_sec}", fmt.Sprint(delay), "{delay_min}", fmt.Sprint(delay/60), "{message}", a.String("msg")).
			Replace(r.dist.lookup(rebootShutdownArgs, `-r {delay_min} "{message}"`))
	}
	if !strings.HasPrefix(bin, "/") {
		paths := a.Strings("search_paths")
		var found string
		for _, p := range paths {
			cand := strings.TrimSuffix(p, "/") + "/" + bin
			if ok, err := t.Exists(cand); err != nil {
				return "", err
			} else if ok {
				found = cand
				break
			}
		}
		if found == "" {
			return "", fmt.Errorf("Unable to find command \"%s\" in search paths: %s", bin, pyListRepr(paths))
		}
		bin = found
	}
	return bin + " " + args, nil
}

// errTimedOut is do_until_success_or_timeout's TimedOutException.
var errTimedOut = errors.New("timed out")

// untilSuccess is do_until_success_or_timeout: try on a fresh connection
// each time, backing off exponentially up to 12 seconds.
func (r *rebootRun) untilSuccess(ctx context.Context, timeout time.Duration, desc string, try func(context.Context, connection.Conn) error) error {
	end := time.Now().Add(timeout)
	connectTimeout := time.Duration(r.call.Args.Int("connect_timeout")) * time.Second
	if connectTimeout <= 0 {
		connectTimeout = 10 * time.Second
	}
	for fails := 0; time.Now().Before(end); fails++ {
		err := func() error {
			cctx, cancel := context.WithTimeout(ctx, connectTimeout)
			defer cancel()
			conn, err := r.call.Connect(cctx)
			if err != nil {
				return err
			}
			return try(ctx, conn)
		}()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		random := float64(rand.Intn(1001)) / 1000
		sleep := float64(int(1)<<min(fails, 10)) + random
		if sleep > 12 {
			sleep = 12 + random
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(sleep * float64(time.Second))):
		}
	}
	return fmt.Errorf("%w: Timed out waiting for %s (timeout=%d)", errTimedOut, desc, int(timeout.Seconds()))
}

func (rebootModule) Run(ctx context.Context, call *module.Call) (module.Result, error) {
	if fmt.Sprint(call.Vars["ansible_connection"]) == "local" {
		return module.Result{"changed": false, "elapsed": 0, "rebooted": false, "failed": true, "msg": fmt.Sprintf("Running %s with local connection would reboot the control node.", call.Module)}, nil
	}
	if call.Check {
		return module.Result{"changed": true, "elapsed": 0, "rebooted": true}, nil
	}
	if call.Connect == nil {
		return module.Failed("reboot needs a connection to reconnect with"), nil
	}
	t := newTarget(ctx, call)
	dist, err := rebootDistributionOf(t, call.Vars)
	if err != nil {
		return nil, err
	}
	r := &rebootRun{call: call, dist: dist}
	previous, err := r.bootTime(ctx, call.Conn)
	if err != nil {
		return module.Result{"failed": true, "reboot": false, "msg": err.Error()}, nil
	}
	cmd, err := r.shutdownCommand(t)
	if err != nil {
		// An AnsibleError in Ansible: a failure without "changed".
		return nil, err
	}
	o, err := execOver(ctx, call.Conn, cmd)
	start := time.Now()
	switch {
	case err != nil && ctx.Err() == nil:
		// The connection closed under the command (Ansible's
		// AnsibleConnectionFailure): the host is going down.
	case err != nil:
		return nil, err
	case o.RC != 0:
		return module.Result{"failed": true, "rebooted": false, "elapsed": int(time.Since(start).Seconds()),
			"msg": fmt.Sprintf("Reboot command failed. Error was: '%s, %s'", strings.TrimSpace(o.Stdout), strings.TrimSpace(o.Stderr))}, nil
	}
	if d := call.Args.Int("post_reboot_delay"); d > 0 {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(d) * time.Second):
		}
	}
	timeout := time.Duration(call.Args.Int("reboot_timeout")) * time.Second
	result := module.Result{"rebooted": true, "changed": true}
	err = r.untilSuccess(ctx, timeout, "last boot time check", func(ctx context.Context, conn connection.Conn) error {
		now, err := r.bootTime(ctx, conn)
		if err != nil {
			return err
		}
		if now == "" || now == previous {
			return errors.New("boot time has not changed")
		}
		return nil
	})
	if err == nil {
		test := dist.lookup(rebootTestCommands, "whoami")
		if call.Args.Has("test_command") {
			test = call.Args.String("test_command")
		}
		err = r.untilSuccess(ctx, timeout, "post-reboot test command", func(ctx context.Context, conn connection.Conn) error {
			o, err := execOver(ctx, conn, test)
			if err != nil {
				return err
			}
			if o.RC != 0 {
				return fmt.Errorf("Test command failed: %s %s", o.Stderr, o.Stdout)
			}
			return nil
		})
	}
	if errors.Is(err, errTimedOut) {
		result = module.Result{"failed": true, "rebooted": true, "msg": strings.TrimPrefix(err.Error(), errTimedOut.Error()+": ")}
	} else if err != nil {
		return nil, err
	}
	result["elapsed"] = int(time.Since(start).Seconds())
	return result, nil
}

var rebootDoc = &module.Doc{
	Name:  "reboot",
	Names: []string{"ansible.builtin.reboot"},
	Short: "Reboot a machine",
	Description: []string{
		"Reboot a machine, wait for it to go down, come back up, and respond to commands.",
		"For Windows targets, use the ansible.windows.win_reboot module instead.",
	},
	Options: []module.Option{
		{Name: "boot_time_command", Default: "cat /proc/sys/kernel/random/boot_id", Description: "Command to run that returns a unique string indicating the last time the system was booted. Setting this to a command that has different output each time it is run will cause the task to fail."},
		{Name: "connect_timeout", Type: "int", Description: "Maximum seconds to wait for a successful connection to the managed hosts before trying again. If unspecified, the default setting for the underlying connection plugin is used."},
		{Name: "msg", Default: "Reboot initiated by Ansible", Description: "Message to display to users before reboot."},
		{Name: "post_reboot_delay", Type: "int", Default: 0, Description: "Seconds to wait after the reboot command was successful before attempting to validate the system rebooted successfully. This is useful if you want wait for something to settle despite your connection already working."},
		{Name: "pre_reboot_delay", Type: "int", Default: 0, Description: "Seconds to wait before reboot. Passed as a parameter to the reboot command. On Linux, macOS and OpenBSD, this is converted to minutes and rounded down. If less than 60, it will be set to 0. On Solaris and FreeBSD, this will be seconds."},
		{Name: "reboot_command", Default: "[determined based on target OS]", Description: "Command to run that reboots the system, including any parameters passed to the command. Can be an absolute path to the command or just the command name. If an absolute path to the command is not given, search_paths on the target system will be searched to find the absolute path. This will cause pre_reboot_delay, post_reboot_delay, and msg to be ignored."},
		{Name: "reboot_timeout", Type: "int", Default: 600, Description: "Maximum seconds to wait for machine to reboot and respond to a test command. This timeout is evaluated separately for both reboot verification and test command success so the maximum execution time for the module is twice this amount."},
		{Name: "search_paths", Type: "list", Elements: "str", Default: []any{"/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin"}, Description: "Paths to search on the remote machine for the shutdown command. Only these paths will be searched for the shutdown command. PATH is ignored in the remote node when searching for the shutdown command."},
		{Name: "test_command", Default: "whoami", Description: "Command to run on the rebooted host and expect success from to determine the machine is ready for further tasks."},
	},
	Check: module.Full,
	Diff:  module.None,
	Notes: []string{"gorun: without connect_timeout each connection attempt while waiting is limited to 10 seconds. The distribution comes from the task's facts when gathered, else from the target's /etc/os-release and uname."},
	Examples: `- name: Unconditionally reboot the machine with all defaults
  ansible.builtin.reboot:

- name: Reboot a slow machine that might have lots of updates to apply
  ansible.builtin.reboot:
    reboot_timeout: 3600

- name: Reboot a machine with shutdown command in unusual place
  ansible.builtin.reboot:
    search_paths:
     - '/lib/molly-guard'

- name: Reboot machine using a custom reboot command
  ansible.builtin.reboot:
    reboot_command: launchctl reboot userspace
    boot_time_command: uptime | cut -d ' ' -f 5`,
	Returns: []module.Return{
		{Name: "elapsed", Description: "The number of seconds that elapsed waiting for the system to be rebooted.", Returned: "always", Type: "int"},
		{Name: "rebooted", Description: "true if the machine was rebooted", Returned: "always", Type: "bool"},
	},
}
