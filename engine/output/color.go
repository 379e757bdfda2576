package output

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Colors are the colour names Ansible uses for each kind of message
// (ansible.cfg [colors], ANSIBLE_COLOR_*). DefaultColors holds Ansible's defaults.
type Colors struct {
	Changed, Debug, Deprecate, DiffAdd, DiffLines, DiffRemove, Error,
	Highlight, OK, Skip, Unreachable, Verbose, Warn string
}

// DefaultColors are Ansible 2.14's default COLOR_* settings.
var DefaultColors = Colors{
	Changed:     "yellow",
	Debug:       "dark gray",
	Deprecate:   "purple",
	DiffAdd:     "green",
	DiffLines:   "cyan",
	DiffRemove:  "red",
	Error:       "red",
	Highlight:   "white",
	OK:          "green",
	Skip:        "cyan",
	Unreachable: "bright red",
	Verbose:     "blue",
	Warn:        "bright purple",
}

// colorCodes are the SGR parameters of Ansible's named colours (constants.COLOR_CODES).
var colorCodes = map[string]string{
	"black": "0;30", "bright gray": "0;37",
	"blue": "0;34", "white": "1;37",
	"green": "0;32", "bright blue": "1;34",
	"cyan": "0;36", "bright green": "1;32",
	"red": "0;31", "bright cyan": "1;36",
	"purple": "0;35", "bright red": "1;31",
	"yellow": "0;33", "bright purple": "1;35",
	"dark gray": "1;30", "bright yellow": "1;33",
	"magenta": "0;35", "bright magenta": "1;35",
	"normal": "0",
}

var colorSpec = regexp.MustCompile(`^(?:color([0-9]+)|rgb([0-5])([0-5])([0-5])|gray([0-9]+))`)

// ParseColor returns the SGR parameters for a colour name as Ansible's
// utils.color.parsecolor does: a named colour, colorN, rgbRGB or grayN.
func ParseColor(name string) (string, error) {
	m := colorSpec.FindStringSubmatch(name)
	switch {
	case m == nil:
		code, ok := colorCodes[name]
		if !ok {
			return "", fmt.Errorf("unknown colour %q", name)
		}
		return code, nil
	case m[1] != "":
		n, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("38;5;%d", n), nil
	case m[2] != "":
		r, _ := strconv.Atoi(m[2])
		g, _ := strconv.Atoi(m[3])
		b, _ := strconv.Atoi(m[4])
		return fmt.Sprintf("38;5;%d", 16+36*r+6*g+b), nil
	default:
		n, _ := strconv.Atoi(m[5])
		return fmt.Sprintf("38;5;%d", 232+n), nil
	}
}

// stringc wraps every line of text in the colour's escape codes, as Ansible's
// stringc does (an empty colour or unknown name leaves text as it is).
func stringc(text, color string) string {
	code, err := ParseColor(color)
	if color == "" || err != nil {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = "\033[" + code + "m" + l + "\033[0m"
	}
	return strings.Join(lines, "\n")
}
