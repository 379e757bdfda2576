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
			Verbosity:             verbosity,
			NoColor:               cfg.Bool("ANSIBLE_NOCOLOR") || os.Getenv("NO_COLOR") != "",
			ForceColor:            cfg.Bool("ANSIBLE_FORCE_COLOR"),
			Colors:                colorsFrom(cfg),
			NoDeprecationWarnings: !cfg.Bool("DEPRECATION_WARNINGS"),
			NoActionWarnings:      !cfg.Bool("ACTION_WARNINGS"),
		},
		HideSkippedHosts:      !cfg.Bool("callback.default.display_skipped_hosts"),
		HideOKHosts:           !cfg.Bool("callback.default.display_ok_hosts"),
		DisplayFailedStderr:   cfg.Bool("callback.default.display_failed_stderr"),
		ShowCustomStats:       cfg.Bool("callback.default.show_custom_stats"),
		ShowPerHostStart:      cfg.Bool("callback.default.show_per_host_start"),
		CheckModeMarkers:      cfg.Bool("callback.default.check_mode_markers"),
		ShowTaskPathOnFailure: cfg.Bool("callback.default.show_task_path_on_failure"),
		ResultFormat:          cfg.String("callback.default.result_format"),
		DisplayArgsToStdout:   cfg.Bool("DISPLAY_ARGS_TO_STDOUT"),
		DiffContext:           cfg.Int("DIFF_CONTEXT"),
		Check:                 check,
	}
	if v, ok := cfg.Get("callback.default.pretty_results"); ok && v != nil {
		if b, ok := v.(bool); ok {
			opts.PrettyResults = &b
		}
	}
	return output.ByName(name, stdout, stderr, opts)
}

// colorsFrom reads the COLOR_* settings.
func colorsFrom(cfg *config.Config) output.Colors {
	return output.Colors{
		Changed: cfg.String("COLOR_CHANGED"), Debug: cfg.String("COLOR_DEBUG"),
		Deprecate: cfg.String("COLOR_DEPRECATE"), DiffAdd: cfg.String("COLOR_DIFF_ADD"),
		DiffLines: cfg.String("COLOR_DIFF_LINES"), DiffRemove: cfg.String("COLOR_DIFF_REMOVE"),
		Error: cfg.String("COLOR_ERROR"), Highlight: cfg.String("COLOR_HIGHLIGHT"),
		OK: cfg.String("COLOR_OK"), Skip: cfg.String("COLOR_SKIP"),
		Unreachable: cfg.String("COLOR_UNREACHABLE"), Verbose: cfg.String("COLOR_VERBOSE"),
		Warn: cfg.String("COLOR_WARN"),
	}
}
