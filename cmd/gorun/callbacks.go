package main

import (
	"io"
	"os"

	"gorun/engine/config"
	"gorun/engine/output"
)

// newCallback builds the stdout callback: name when given (ad hoc uses
// minimal or oneline), else stdout_callback from ansible.cfg or the environment.
func newCallback(name string, cfg *config.Config, stdout, stderr io.Writer, verbosity int, check bool) (output.Callback, error) {
	if name == "" {
		name = cfg.String("DEFAULT_STDOUT_CALLBACK")
	}
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
	return output.ByName(name, stdout, stderr, opts)
}
