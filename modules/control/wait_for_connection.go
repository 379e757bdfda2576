package control

import (
	"context"
	"fmt"
	"time"

	"gorun/engine/connection"
	"gorun/engine/module"
)

func init() { module.Register(waitForConnection{}) }

type waitForConnection struct{}

func (waitForConnection) Doc() *module.Doc {
	return &module.Doc{
		Name:  "wait_for_connection",
		Names: []string{"ansible.builtin.wait_for_connection"},
		Short: "Waits until remote system is reachable/usable",
		Description: []string{"Waits for a total of timeout seconds.",
			"Retries the transport connection after a timeout of connect_timeout.",
			"Tests the transport connection every sleep seconds.",
			"gorun tests the connection by running a command over it, where Ansible runs its ping module."},
		Options: []module.Option{
			{Name: "connect_timeout", Type: "int", Default: 5, Description: "Maximum number of seconds to wait for a connection to happen before closing and retrying."},
			{Name: "delay", Type: "int", Default: 0, Description: "Number of seconds to wait before starting to poll."},
			{Name: "sleep", Type: "int", Default: 1, Description: "Number of seconds to sleep between checks."},
			{Name: "timeout", Type: "int", Default: 600, Description: "Maximum number of seconds to wait for."},
		},
		Check: module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Wait 600 seconds for target connection to become reachable/usable
  ansible.builtin.wait_for_connection:`,
		Returns: []module.Return{{Name: "elapsed", Description: "The number of seconds that elapsed waiting for the connection to appear.", Returned: "always", Type: "float"}},
	}
}

// Run tries the connection until a command runs over it or the timeout
// passes, as Ansible's wait_for_connection action does with ping.
func (waitForConnection) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if c.Connect == nil {
		return module.Failed("wait_for_connection needs a connection to test"), nil
	}
	connectTimeout := time.Duration(c.Args.Int("connect_timeout")) * time.Second
	sleep := time.Duration(c.Args.Int("sleep")) * time.Second
	timeout := time.Duration(c.Args.Int("timeout")) * time.Second
	start := time.Now()
	if err := sleepCtx(ctx, time.Duration(c.Args.Int("delay"))*time.Second); err != nil {
		return nil, err
	}
	// As do_until_success_or_timeout: the timeout counts from after the
	// delay, and every failed try is followed by a sleep, so a host that
	// never answers is tried until the timeout has passed.
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		if last = tryConnection(ctx, c, connectTimeout); last == nil {
			return module.Result{"changed": false, "elapsed": int(time.Since(start).Seconds())}, nil
		}
		if err := sleepCtx(ctx, sleep); err != nil {
			return nil, err
		}
	}
	return module.Result{"failed": true, "changed": false, "elapsed": int(time.Since(start).Seconds()),
		"msg": fmt.Sprintf("timed out waiting for ping module test: %v", last)}, nil
}

// tryConnection opens a fresh connection and runs a command over it.
func tryConnection(ctx context.Context, c *module.Call, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	conn, err := c.Connect(ctx)
	if err != nil {
		return err
	}
	res, err := conn.Exec(ctx, "echo pong", connection.ExecOptions{})
	if err != nil {
		return err
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("the test command exited with %d", res.ExitCode)
	}
	return nil
}

// sleepCtx waits for d unless ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
