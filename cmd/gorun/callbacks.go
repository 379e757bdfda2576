package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"gorun/engine/config"
	"gorun/engine/output"
)

// newCallback builds the stdout callback: name when given (ad hoc uses
// minimal or oneline), else stdout_callback from ansible.cfg or the environment.
func newCallback(name string, cfg *config.Config, stdout, stderr io.Writer, verbosity int, check bool) (output.Callback, error) {
	if name == "" {
		name = cfg.String("DEFAULT_STDOUT_CALLBACK")
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "ansible.builtin."), "community.general.")
	if name == "" {
		name = "default"
	}
	opts := output.DefaultOptions{
		DisplayOptions: output.DisplayOptions{
			Verbosity:  verbosity,
			NoColor:    cfg.Bool("ANSIBLE_NOCOLOR") || os.Getenv("NO_COLOR") != "",
			ForceColor: cfg.Bool("ANSIBLE_FORCE_COLOR"),
		},
		Check: check,
	}
	switch name {
	case "default":
		return output.NewDefault(stdout, stderr, opts)
	case "minimal", "oneline":
		// The ad-hoc callbacks are not merged yet: the default one stands in.
		return output.NewDefault(stdout, stderr, opts)
	}
	return nil, fmt.Errorf("Invalid callback for stdout specified: %s (gorun has default, minimal, oneline, json)", name)
}
