package remotefile

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ModeError is a mode that is neither octal nor symbolic, worded as Ansible's.
type ModeError struct {
	Msg, Details string
}

func (e *ModeError) Error() string { return e.Msg + ": " + e.Details }

var (
	modeOperator = regexp.MustCompile(`[+=-]`)
	badUsers     = regexp.MustCompile(`[^ugo]`)
	badPerms     = regexp.MustCompile(`[^rwxXstugo]`)
)

// ParseMode turns a task's mode into permission bits as Ansible's
// set_mode_if_different does: an int is taken as is (YAML's 0644 arrives as
// 420), a string of octal digits is octal, anything else is symbolic
// (`u+rwx,g-w`) applied to current, the path's present permission bits
// (isDir for X). umask is the remote umask, used by symbolic modes without
// a user part.
func ParseMode(mode any, current uint32, isDir bool, umask uint32) (uint32, error) {
	switch m := mode.(type) {
	case int:
		return uint32(m), nil
	case float64:
		return uint32(m), nil
	case string:
		if n, err := strconv.ParseUint(m, 8, 32); err == nil {
			return uint32(n), nil
		}
		n, err := symbolicMode(m, current, isDir, umask)
		if err != nil {
			return 0, &ModeError{Msg: "mode must be in octal or symbolic form", Details: err.Error()}
		}
		if n != n&0o7777 {
			return 0, &ModeError{Msg: "Invalid mode supplied, only permission info is allowed", Details: fmt.Sprint(n)}
		}
		return n, nil
	}
	return 0, &ModeError{Msg: "mode must be in octal or symbolic form", Details: fmt.Sprint(mode)}
}

// symbolicMode is Ansible's _symbolic_mode_to_octal.
func symbolicMode(sym string, current uint32, isDir bool, umask uint32) (uint32, error) {
	mode := current & 0o7777
	for _, clause := range strings.Split(sym, ",") {
		perms := modeOperator.Split(clause, -1)
		opers := modeOperator.FindAllString(clause, -1)
		if len(opers) == 0 {
			return 0, fmt.Errorf("bad symbolic permission for mode: %s", clause)
		}
		users := perms[0]
		perms = perms[1:]
		useUmask := users == ""
		if users == "a" || users == "" {
			users = "ugo"
		}
		if badUsers.MatchString(users) {
			return 0, fmt.Errorf("bad symbolic permission for mode: %s", clause)
		}
		for i, p := range perms {
			if badPerms.MatchString(p) {
				return 0, fmt.Errorf("bad symbolic permission for mode: %s", clause)
			}
			for _, u := range users {
				bits := permBits(mode, u, p, isDir, useUmask, umask)
				mode = applyOp(u, opers[i], bits, mode)
			}
		}
	}
	return mode, nil
}

func applyOp(user rune, op string, bits, cur uint32) uint32 {
	switch op {
	case "=":
		var mask uint32
		switch user {
		case 'u':
			mask = 0o700 | 0o4000
		case 'g':
			mask = 0o070 | 0o2000
		case 'o':
			mask = 0o007 | 0o1000
		}
		return cur&(mask^0o7777) | bits
	case "+":
		return cur | bits
	}
	return cur &^ bits
}

// permBits is Ansible's _get_octal_mode_from_symbolic_perms for one user letter.
func permBits(prev uint32, user rune, perms string, isDir, useUmask bool, umask uint32) uint32 {
	rev := umask ^ 0o7777
	applyX := isDir || prev&0o111 != 0
	shift := map[rune]uint{'u': 6, 'g': 3, 'o': 0}[user]
	rwx := func(bit uint32) uint32 {
		b := bit << shift
		if useUmask {
			b &= rev
		}
		return b
	}
	var out uint32
	for _, p := range perms {
		switch p {
		case 'r':
			out |= rwx(4)
		case 'w':
			out |= rwx(2)
		case 'x':
			out |= rwx(1)
		case 'X':
			if applyX {
				out |= 1 << shift
			}
		case 's':
			switch user {
			case 'u':
				out |= 0o4000
			case 'g':
				out |= 0o2000
			}
		case 't':
			if user == 'o' {
				out |= 0o1000
			}
		case 'u', 'g', 'o':
			from := map[rune]uint{'u': 6, 'g': 3, 'o': 0}[p]
			v := (prev >> from) & 7
			out |= v << shift
		}
	}
	return out
}

// ModeString is the mode as Ansible's file-type results print it: "0%03o".
func ModeString(perm uint32) string { return fmt.Sprintf("0%03o", perm) }
