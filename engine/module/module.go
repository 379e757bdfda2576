// Package module defines what a gorun module is: Go code on the controller that
// drives one target through a connection, declared by an argument spec that is at
// once its validation, its documentation (`gorun doc NAME`) and its check-mode
// contract. Modules register themselves by name; the runner finds them here.
package module

import (
	"context"

	"gorun/engine/connection"
)

// Module is one task action.
type Module interface {
	// Doc returns the module's argument spec and documentation. It must return
	// the same value every time.
	Doc() *Doc
	// Run performs the action on call.Conn. A failed action returns a Result with
	// "failed": true and "msg"; an error return is for faults that are not the
	// module's to describe (connection lost) and becomes a failure or, for
	// *connection.UnreachableError, an unreachable host.
	Run(ctx context.Context, call *Call) (Result, error)
}

// Call is one invocation of a module on one host.
type Call struct {
	// Module is the name the task used (short name or FQCN).
	Module string
	// Host is the inventory hostname.
	Host string
	// Task is the task's name as Ansible's Task.get_name() gives it
	// ("ROLE : NAME", or the action when unnamed), for actions that show it.
	Task string
	// Args are the validated arguments: every option of the spec is present,
	// with its default (or nil) when the task did not set it.
	Args Args
	// Conn reaches the host, with the task's become and environment applied.
	Conn connection.Conn
	// Connect opens a fresh connection to the host (or the task's delegate),
	// for controller actions that test reachability (wait_for_connection).
	Connect func(ctx context.Context) (connection.Conn, error)
	// ConnectTo reaches another inventory host as a task delegated to it
	// would (its connection variables, the task's become and environment),
	// for modules that act on two hosts at once (gorun.kvm.migrate).
	ConnectTo func(ctx context.Context, host string) (connection.Conn, error)
	// Delegate is the host the task is delegated to (delegate_to), or "".
	Delegate string
	// Check and Diff are the task's check_mode and diff settings.
	Check, Diff bool
	// Vars are the task's variables (already merged by precedence), for modules
	// that read facts or render templates.
	Vars map[string]any
	// Templar renders with the task's variables; nil where no templating is possible.
	Templar Templar
	// Files finds controller-side files the way Ansible searches for them.
	Files FileFinder
	// Warn records a warning shown after the task result.
	Warn func(msg string)
	// WarnNow shows a warning at once without putting it in the result, as
	// an Ansible action calling display.warning does (pause).
	WarnNow func(msg string)
	// Target are the host's own connection settings and Become the task's
	// privilege escalation, for actions that start their own transfer to
	// the host (synchronize runs rsync over ssh with them).
	Target *connection.Params
	Become *connection.Become
	// Decrypt opens vault-encrypted controller files (copy and template
	// sources); nil when no vault secrets were given.
	Decrypt func(data []byte) ([]byte, error)
}

// Templar is the templating a module may need, bound to the task's variables.
type Templar interface {
	// Template renders v deeply with Ansible's semantics (native types for a lone expression).
	Template(v any) (any, error)
	// Condition evaluates a conditional expression (as `when:`).
	Condition(cond any) (bool, error)
	// Expr evaluates a bare expression.
	Expr(expr string) (any, error)
}

// FileFinder locates files on the controller for a task: in the role's files/
// or templates/ directory, then the role directory, then the playbook's
// directory and its files/ or templates/, as Ansible's path_dwim_relative does.
type FileFinder interface {
	// Find returns the absolute path of name; kind is "files", "templates" or "vars".
	Find(kind, name string) (string, error)
}

// Result is a module's return value, registered by `register:` exactly as
// Ansible registers a module's JSON result.
type Result map[string]any

// ExceptionKey marks a result that stands for an error the action raised
// rather than returned (Ansible's AnsibleError out of an action plugin):
// the runner leaves "changed" out of such a result, as Ansible's
// TaskExecutor does, and removes the key.
const ExceptionKey = "_gorun_exception"

// JSONFactsKey lists the ansible_facts of include_vars whose value was
// read from a JSON file: Ansible's text there is str, not AnsibleUnicode.
// Like every "_ansible_" key it is neither registered nor shown.
const JSONFactsKey = "_ansible_gorun_json_facts"

// SkipKey marks a result that stands for an AnsibleActionSkip the action
// raised (check mode refused by assemble or fetch): Ansible's TaskExecutor
// returns such a result as it is, without the "failed" it adds to every
// returned one. The runner removes the key.
const SkipKey = "_gorun_action_skip"

// ActionSkip is the result of an action that raised AnsibleActionSkip(msg).
func ActionSkip(msg string) Result {
	return Result{"changed": false, "skipped": true, "msg": msg, SkipKey: true}
}

// Failed makes a failure result with msg.
func Failed(msg string) Result {
	return Result{"failed": true, "msg": msg}
}

// Changed reports the result's "changed" flag.
func (r Result) Changed() bool {
	c, _ := r["changed"].(bool)
	return c
}

// IsFailed reports the result's "failed" flag.
func (r Result) IsFailed() bool {
	f, _ := r["failed"].(bool)
	return f
}

// Detachable is a module that can run as an async job detached on the
// target (poll: 0), as Ansible's async_wrapper runs one: the job goes on
// after gorun exits and leaves its result in the job's results file, where
// a later run's async_status (gorun's or Ansible's) finds it. Only modules
// whose whole work is a shell script on the target can be detached.
type Detachable interface {
	// JobScript returns a POSIX shell script doing what Run would do for
	// call. It runs on the target as `sh -c SCRIPT job FILE` with no
	// connection to gorun, may keep temporary files named FILE.*, and
	// prints the module's result as one JSON document on stdout.
	JobScript(call *Call) (string, error)
}
