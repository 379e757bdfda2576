package output

import (
	"io"
	"os"
	"strings"

	"github.com/mattn/go-runewidth"
	xterm "golang.org/x/term"
)

// DisplayOptions are the settings of Ansible's Display shared by all callbacks.
type DisplayOptions struct {
	// Verbosity is the number of -v flags.
	Verbosity int
	// NoColor turns colours off (ANSIBLE_NOCOLOR, nocolor in ansible.cfg).
	NoColor bool
	// ForceColor turns colours on even off a terminal (ANSIBLE_FORCE_COLOR).
	ForceColor bool
	// Colors overrides the colour of each kind of message; empty fields
	// keep Ansible's default.
	Colors Colors
	// Columns is the width banners and warnings are fitted to. Zero means
	// Ansible's rule: the terminal width minus one if stdout is a terminal,
	// at least 79.
	Columns int
	// NoDeprecationWarnings hides [DEPRECATION WARNING]s (deprecation_warnings=False).
	NoDeprecationWarnings bool
	// NoActionWarnings hides warnings returned by modules (action_warnings=False).
	NoActionWarnings bool
}

// display writes messages the way ansible.utils.display.Display does: colour
// per message, banners of stars, warnings wrapped and shown once.
type display struct {
	stdout, stderr io.Writer
	verbosity      int
	color          bool
	colors         Colors
	columns        int
	noDeprecations bool
	noActionWarns  bool
	// yamlDiffs and lossyDiffs serialise mappings in diffs as YAML
	// (result_format=yaml; lossy unless pretty_results=false).
	yamlDiffs, lossyDiffs bool
	warned                map[string]bool
	deprecatedSeen        map[string]bool
}

func newDisplay(stdout, stderr io.Writer, o DisplayOptions) *display {
	d := &display{
		stdout:         stdout,
		stderr:         stderr,
		verbosity:      o.Verbosity,
		colors:         mergeColors(o.Colors),
		columns:        o.Columns,
		noDeprecations: o.NoDeprecationWarnings,
		noActionWarns:  o.NoActionWarnings,
		warned:         map[string]bool{},
		deprecatedSeen: map[string]bool{},
	}
	fd, isTTY := terminalFD(stdout)
	// Like Ansible (through curses), a terminal without colours gets none.
	term := os.Getenv("TERM")
	d.color = !o.NoColor && isTTY && term != "" && term != "dumb"
	if o.ForceColor {
		d.color = true
	}
	if d.columns <= 0 {
		d.columns = 79
		if isTTY {
			if w, _, err := xterm.GetSize(fd); err == nil && w-1 > d.columns {
				d.columns = w - 1
			}
		}
	}
	return d
}

// terminalFD reports whether w is a terminal, and its descriptor.
func terminalFD(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, xterm.IsTerminal(fd)
}

// mergeColors fills the empty fields of c with Ansible's defaults.
func mergeColors(c Colors) Colors {
	def := DefaultColors
	pick := func(v, d string) string {
		if v != "" {
			return v
		}
		return d
	}
	return Colors{
		Changed: pick(c.Changed, def.Changed), Debug: pick(c.Debug, def.Debug),
		Deprecate: pick(c.Deprecate, def.Deprecate), DiffAdd: pick(c.DiffAdd, def.DiffAdd),
		DiffLines: pick(c.DiffLines, def.DiffLines), DiffRemove: pick(c.DiffRemove, def.DiffRemove),
		Error: pick(c.Error, def.Error), Highlight: pick(c.Highlight, def.Highlight),
		OK: pick(c.OK, def.OK), Skip: pick(c.Skip, def.Skip),
		Unreachable: pick(c.Unreachable, def.Unreachable), Verbose: pick(c.Verbose, def.Verbose),
		Warn: pick(c.Warn, def.Warn),
	}
}

// colorize returns s in color when colours are on.
func (d *display) colorize(s, color string) string {
	if !d.color || color == "" {
		return s
	}
	return stringc(s, color)
}

// show is Display.display: one trailing newline is kept out of the colour
// and always written.
func (d *display) show(msg, color string, toStderr bool) {
	msg = strings.TrimSuffix(msg, "\n")
	w := d.stdout
	if toStderr {
		w = d.stderr
	}
	io.WriteString(w, d.colorize(msg, color)+"\n")
}

// banner is Display.banner: a blank line, then msg padded with stars to the
// screen width (at least three stars).
func (d *display) banner(msg, color string) {
	msg = strings.TrimSpace(msg)
	stars := d.columns - runewidth.StringWidth(msg)
	if stars <= 3 {
		stars = 3
	}
	d.show("\n"+msg+" "+strings.Repeat("*", stars), color, false)
}

// warning is Display.warning: "[WARNING]: msg" wrapped to the screen width,
// on stderr, each distinct message once.
func (d *display) warning(msg string) {
	text := strings.Join(pyWrap("[WARNING]: "+msg, d.columns, true), "\n") + "\n"
	if d.warned[text] {
		return
	}
	d.warned[text] = true
	d.show(text, d.colors.Warn, true)
}

// Deprecation describes a deprecated feature as modules and Ansible report it.
type Deprecation struct {
	Msg            string
	Version        string
	Date           string
	CollectionName string
}

// deprecationMessage is Display.get_deprecation_message.
func deprecationMessage(dep Deprecation) string {
	msg := strings.TrimSpace(dep.Msg)
	if msg != "" && !strings.ContainsAny(msg[len(msg)-1:], "!?.") {
		msg += "."
	}
	collection := dep.CollectionName
	if collection == "ansible.builtin" {
		collection = "ansible-core"
	}
	parts := []string{"[DEPRECATION WARNING]: " + msg, "This feature will be removed"}
	if collection != "" {
		parts = append(parts, "from "+collection)
	}
	switch {
	case dep.Date != "":
		parts = append(parts, "in a release after "+dep.Date+".")
	case dep.Version != "":
		parts = append(parts, "in version "+dep.Version+".")
	default:
		parts = append(parts, "in a future release.")
	}
	parts = append(parts, "Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.")
	return strings.Join(parts, " ")
}

// deprecated is Display.deprecated for a feature not yet removed.
func (d *display) deprecated(dep Deprecation) {
	if d.noDeprecations {
		return
	}
	text := strings.Join(pyWrap(deprecationMessage(dep), d.columns, false), "\n") + "\n"
	if d.deprecatedSeen[text] {
		return
	}
	d.deprecatedSeen[text] = true
	d.show(strings.TrimSpace(text), d.colors.Deprecate, true)
}

// setResultFormat makes diffs follow the callback's result_format.
func (d *display) setResultFormat(format string, pretty *bool) {
	d.yamlDiffs = format == "yaml"
	d.lossyDiffs = pretty == nil || *pretty
}
