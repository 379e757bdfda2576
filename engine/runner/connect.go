package runner

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gorun/engine/connection"
	"gorun/engine/output"
	"gorun/engine/playbook"
	"gorun/engine/template"
	"gorun/engine/value"
)

// varString returns the first of names set in vars, templated.
func (r *Runner) varString(vars map[string]any, tctx *template.Context, names ...string) (string, bool) {
	for _, n := range names {
		if v, ok := vars[n]; ok && v != nil {
			rv, err := r.opts.Templates.Template(v, tctx)
			if err != nil {
				return fmt.Sprint(v), true
			}
			return fmt.Sprint(rv), true
		}
	}
	return "", false
}

// connParams resolves how to reach a host from its variables, the task's
// keywords and the command line, as Ansible's connection plugin options do.
func (r *Runner) connParams(t *playbook.Task, play *playbook.Play, host string, vars map[string]any, tctx *template.Context) connection.Params {
	p := connection.Params{
		Host:            host,
		Connection:      r.opts.Connection,
		User:            r.opts.RemoteUser,
		Password:        r.opts.Password,
		PrivateKeyFiles: r.opts.PrivateKeyFiles,
		SSHArgs:         r.opts.SSHArgs,
		SSHCommonArgs:   r.opts.SSHCommonArgs,
		SSHExtraArgs:    r.opts.SSHExtraArgs,
		HostKeyChecking: r.opts.HostKeyChecking,
		Timeout:         r.opts.Timeout,
	}
	if t != nil {
		if v, ok := inherited(t, play, "connection"); ok {
			p.Connection = fmt.Sprint(renderOr(r, v, tctx))
		}
		if v, ok := inherited(t, play, "remote_user"); ok {
			p.User = fmt.Sprint(renderOr(r, v, tctx))
		}
		if v, ok := inherited(t, play, "port"); ok {
			p.Port = toInt(renderOr(r, v, tctx))
		}
	}
	if s, ok := r.varString(vars, tctx, "ansible_connection"); ok {
		p.Connection = s
	}
	if s, ok := r.varString(vars, tctx, "ansible_host", "ansible_ssh_host"); ok {
		p.Address = s
	}
	if s, ok := r.varString(vars, tctx, "ansible_port", "ansible_ssh_port"); ok {
		p.Port, _ = strconv.Atoi(s)
	}
	if s, ok := r.varString(vars, tctx, "ansible_user", "ansible_ssh_user"); ok {
		p.User = s
	}
	if s, ok := r.varString(vars, tctx, "ansible_password", "ansible_ssh_pass", "ansible_ssh_password"); ok {
		p.Password = s
	}
	for _, n := range []string{"ansible_ssh_pass", "ansible_password"} {
		// PlayContext's password, as the variable holds it.
		if raw, ok := vars[n]; ok {
			p.PasswordSet = raw != nil && fmt.Sprint(raw) != ""
			break
		}
	}
	if s, ok := r.varString(vars, tctx, "ansible_ssh_private_key_file", "ansible_private_key_file"); ok {
		p.PrivateKeyFiles = []string{expandHome(s)}
	}
	if s, ok := r.varString(vars, tctx, "ansible_ssh_common_args"); ok {
		p.SSHCommonArgs = s
	}
	if s, ok := r.varString(vars, tctx, "ansible_ssh_extra_args"); ok {
		p.SSHExtraArgs = s
	}
	if s, ok := r.varString(vars, tctx, "ansible_ssh_args"); ok {
		p.SSHArgs = s
	}
	if s, ok := r.varString(vars, tctx, "ansible_host_key_checking", "ansible_ssh_host_key_checking"); ok {
		p.HostKeyChecking = truthy(s)
	}
	if s, ok := r.varString(vars, tctx, "ansible_timeout", "ansible_ssh_timeout"); ok {
		if n, err := strconv.Atoi(s); err == nil {
			p.Timeout = time.Duration(n) * time.Second
		}
	}
	switch p.Connection {
	case "", "smart", "ssh", "ansible.builtin.ssh":
		p.Connection = "ssh"
	case "paramiko", "paramiko_ssh", "ansible.builtin.paramiko_ssh":
		// The same client, but one that takes a password without sshpass.
		p.Connection = "paramiko"
	case "local", "ansible.builtin.local":
		p.Connection = "local"
	}
	return p
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}

// become resolves privilege escalation for a task on a host.
func (r *Runner) become(t *playbook.Task, play *playbook.Play, vars map[string]any, tctx *template.Context) *connection.Become {
	b := r.opts.Become
	kw := func(key string) (any, bool) {
		if t == nil {
			if play != nil {
				v, ok := play.Attrs[key]
				return v, ok
			}
			return nil, false
		}
		return inherited(t, play, key)
	}
	if v, ok := kw("become"); ok {
		b.Enabled = truthy(renderOr(r, v, tctx))
	}
	if s, ok := r.varString(vars, tctx, "ansible_become"); ok {
		b.Enabled = truthy(s)
	}
	if v, ok := kw("become_user"); ok {
		b.User = fmt.Sprint(renderOr(r, v, tctx))
	}
	if s, ok := r.varString(vars, tctx, "ansible_become_user"); ok {
		b.User = s
	}
	if v, ok := kw("become_method"); ok {
		b.Method = fmt.Sprint(renderOr(r, v, tctx))
	}
	if s, ok := r.varString(vars, tctx, "ansible_become_method"); ok {
		b.Method = s
	}
	if v, ok := kw("become_flags"); ok {
		b.Flags = fmt.Sprint(renderOr(r, v, tctx))
	}
	if s, ok := r.varString(vars, tctx, "ansible_become_flags"); ok {
		b.Flags = s
	}
	if v, ok := kw("become_exe"); ok {
		b.Exe = fmt.Sprint(renderOr(r, v, tctx))
	}
	if s, ok := r.varString(vars, tctx, "ansible_become_exe"); ok {
		b.Exe = s
	}
	if s, ok := r.varString(vars, tctx, "ansible_become_password", "ansible_become_pass", "ansible_sudo_pass", "ansible_sudo_password"); ok {
		b.Password = s
	}
	if b.User == "" {
		b.User = "root"
	}
	if b.Method == "" {
		b.Method = "sudo"
	}
	b.Method = strings.TrimPrefix(b.Method, "ansible.builtin.")
	if !b.Enabled {
		return nil
	}
	return &b
}

// environment resolves the environment: keyword (a dict or a list of
// dicts) of the task and everything it inherits from: Ansible extends the
// list from play to task, and later entries win.
func (r *Runner) environment(t *playbook.Task, play *playbook.Play, tctx *template.Context) (map[string]string, error) {
	var list []any
	for _, raw := range inheritedAll(t, play, "environment") {
		if raw == nil {
			continue
		}
		rv, err := r.opts.Templates.Template(raw, tctx)
		if err != nil {
			return nil, keywordError(t, "environment", err)
		}
		if l, isList := rv.([]any); isList {
			list = append(list, l...)
		} else {
			list = append(list, rv)
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	env := map[string]string{}
	for _, e := range list {
		if !value.IsMapping(e) {
			return nil, fmt.Errorf("environment must be a dictionary, received %v", e)
		}
		for _, k := range value.Keys(e) {
			v, _ := value.Lookup(e, k)
			env[k] = template.ToText(v)
		}
	}
	return env, nil
}

// connect returns the connection for a task on a host (or its delegate).
func (pr *playRun) connect(ctx context.Context, t *playbook.Task, h *hostState, vars map[string]any, delegate string) (connection.Conn, error) {
	r := pr.r
	tctx := ctxFor(vars, t)
	connVars := vars
	target := h.name
	if delegate != "" && delegate != h.name {
		target = delegate
		if r.opts.Inventory.Host(delegate) != nil {
			connVars = r.vars(r.host(delegate), scope{pr: pr, task: t})
		} else {
			connVars = map[string]any{}
			if delegate == "localhost" || delegate == "127.0.0.1" {
				connVars["ansible_connection"] = "local"
			}
		}
	}
	params := r.connParams(t, pr.play, target, connVars, ctxFor(connVars, t))
	conn, err := r.opts.Pool.Get(ctx, params)
	if err != nil {
		return nil, err
	}
	env, err := r.environment(t, pr.play, tctx)
	if err != nil {
		return nil, err
	}
	tc := &taskConn{Conn: conn, become: r.become(t, pr.play, connVars, tctx), env: env}
	noLog, _ := inherited(t, pr.play, "no_log")
	if r.opts.Verbosity >= 3 && !truthy(noLog) {
		tc.trace = func(op, what string) {
			r.emit(func(cb output.Callback) {
				if d, ok := cb.(output.Displayer); ok {
					d.Display(fmt.Sprintf("<%s> %s %s", target, op, what), 3)
				}
			})
		}
	}
	return tc, nil
}

// taskConn applies a task's become and environment to every operation.
type taskConn struct {
	connection.Conn
	become *connection.Become
	env    map[string]string
	// trace shows each remote operation at -vvv (not for no_log tasks,
	// whose command lines may carry secrets).
	trace func(op, what string)
}

// traced shows one operation when tracing.
func (c *taskConn) traced(op, what string) {
	if c.trace == nil {
		return
	}
	// Multi-line scripts are shown on one line, and long ones cut short.
	what = strings.ReplaceAll(what, "\n", "\\n")
	if len(what) > 300 {
		what = what[:300] + "..."
	}
	c.trace(op, what)
}

func (c *taskConn) fill(o connection.ExecOptions) connection.ExecOptions {
	if o.Become == nil {
		o.Become = c.become
	}
	if len(c.env) > 0 {
		env := map[string]string{}
		for k, v := range c.env {
			env[k] = v
		}
		for k, v := range o.Env {
			env[k] = v
		}
		o.Env = env
	}
	return o
}

func (c *taskConn) Exec(ctx context.Context, cmd string, o connection.ExecOptions) (*connection.ExecResult, error) {
	c.traced("EXEC", cmd)
	return c.Conn.Exec(ctx, cmd, c.fill(o))
}

// RunQuick runs script in the host's kept shell when the task has no
// become and no environment (which the kept shell does not apply), else
// through Exec.
func (c *taskConn) RunQuick(ctx context.Context, script string) (*connection.ExecResult, error) {
	q, ok := c.Conn.(connection.QuickRunner)
	if !ok || c.become != nil || len(c.env) > 0 {
		return c.Exec(ctx, script, connection.ExecOptions{})
	}
	c.traced("EXEC", script)
	return q.RunQuick(ctx, script)
}

// RunCommand runs a user's command from the host's kept shell when the
// task has no become and no environment, else through Exec (see
// connection.CommandRunner).
func (c *taskConn) RunCommand(ctx context.Context, cmd string) (*connection.ExecResult, error) {
	r, ok := c.Conn.(connection.CommandRunner)
	if !ok || c.become != nil || len(c.env) > 0 {
		return c.Exec(ctx, cmd, connection.ExecOptions{})
	}
	c.traced("EXEC", cmd)
	return r.RunCommand(ctx, cmd)
}

func (c *taskConn) Put(ctx context.Context, r io.Reader, path string, perm fs.FileMode, o connection.ExecOptions) error {
	c.traced("PUT", path)
	return c.Conn.Put(ctx, r, path, perm, c.fill(o))
}

func (c *taskConn) Get(ctx context.Context, path string, w io.Writer, o connection.ExecOptions) error {
	c.traced("FETCH", path)
	return c.Conn.Get(ctx, path, w, c.fill(o))
}

// BecomeSettings is the task's become, for operations that do not go
// through Exec (the libvirt modules' socket, bridged as the become user).
func (c *taskConn) BecomeSettings() *connection.Become { return c.become }

// Close does not close the shared host connection.
func (c *taskConn) Close() error { return nil }

// Unwrap returns the host connection, so that its optional interfaces
// (connection.UnixDialer) stay reachable through the task's wrapper.
func (c *taskConn) Unwrap() connection.Conn { return c.Conn }

// taskDir is the directory of the file a task came from, or for a task
// read from JSON (no position) the working directory, as Ansible's
// unfrackpath makes of the empty path.
func taskDir(t *playbook.Task) string {
	if t.Pos.JSON {
		if wd, err := os.Getwd(); err == nil {
			return wd
		}
	}
	if t.Pos.File == "" {
		return ""
	}
	return filepath.Dir(t.Pos.File)
}

// fileFinder searches controller files for a task, as Ansible's path_dwim_relative_stack.
type fileFinder struct {
	task        *playbook.Task
	playbookDir string
}

func (f *fileFinder) Find(kind, name string) (string, error) {
	if filepath.IsAbs(name) {
		if _, err := os.Stat(name); err == nil {
			return name, nil
		}
		return "", fmt.Errorf("Could not find or access '%s' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", name)
	}
	var cands []string
	for rl := f.task.Role; rl != nil; rl = rl.Parent {
		cands = append(cands, filepath.Join(rl.Path, kind, name), filepath.Join(rl.Path, name))
		break
	}
	if dir := taskDir(f.task); dir != "" {
		cands = append(cands, filepath.Join(dir, kind, name), filepath.Join(dir, name))
	}
	if f.playbookDir != "" {
		cands = append(cands, filepath.Join(f.playbookDir, kind, name), filepath.Join(f.playbookDir, name))
	}
	for _, c := range cands {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	return "", fmt.Errorf("Could not find or access '%s'\nSearched in:\n\t%s on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option", name, strings.Join(cands, "\n\t"))
}
