package labenv

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// run runs a command of the machine and returns its standard output. Its
// error names the command and carries what it printed on standard error.
func run(name string, args ...string) (string, error) {
	return runInput("", name, args...)
}

// runInput is run with stdin fed from input.
func runInput(input, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if input != "" {
		cmd.Stdin = strings.NewReader(input)
	}
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("labenv: %s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
