package connection

import (
	"fmt"
	"strings"

	"github.com/google/shlex"
)

// sshOptions are OpenSSH options given on the command line (-o Key=Value and the
// short flags that stand for options), keyed by lower-case option name. As with
// ssh, the first value given for an option wins, except for IdentityFile, of
// which every value counts.
type sshOptions struct {
	values        map[string]string
	identityFiles []string
	configFile    string // -F
}

// implementedOptions are the options gorun acts on.
var implementedOptions = map[string]bool{
	"hostname": true, "port": true, "user": true, "identityfile": true,
	"identitiesonly": true, "proxyjump": true, "proxycommand": true,
	"stricthostkeychecking": true, "userknownhostsfile": true,
	"globalknownhostsfile": true, "hostkeyalias": true, "hashknownhosts": true,
	"connecttimeout": true, "serveraliveinterval": true, "serveralivecountmax": true,
	"addressfamily": true, "batchmode": true,
}

// harmlessOptions change nothing gorun does: they tune OpenSSH's own
// multiplexing, logging, prompting or compression, which a single Go client per
// host makes moot. Ansible's defaults use several of them.
var harmlessOptions = map[string]bool{
	"controlmaster": true, "controlpersist": true, "controlpath": true,
	"preferredauthentications": true, "kbdinteractiveauthentication": true,
	"challengeresponseauthentication": true, "passwordauthentication": true,
	"pubkeyauthentication": true, "gssapiauthentication": true,
	"gssapidelegatecredentials": true, "loglevel": true, "compression": true,
	"forwardagent": true, "forwardx11": true, "forwardx11trusted": true,
	"tcpkeepalive": true, "checkhostip": true, "visualhostkey": true,
	"updatehostkeys": true, "numberofpasswordprompts": true,
	"connectionattempts": true, "sendenv": true, "addkeystoagent": true,
	"exitonforwardfailure": true, "verifyhostkeydns": true, "escapechar": true,
}

// parseSSHArgs parses OpenSSH command-line arguments as Ansible passes them
// (ansible_ssh_args, ansible_ssh_common_args, ansible_ssh_extra_args: shell-like
// strings). Options gorun does not implement and that would change behaviour
// are an error naming them.
func parseSSHArgs(argStrings ...string) (*sshOptions, error) {
	o := &sshOptions{values: map[string]string{}}
	for _, s := range argStrings {
		words, err := shlex.Split(s)
		if err != nil {
			return nil, fmt.Errorf("cannot split ssh arguments %q: %v", s, err)
		}
		if err := o.parseWords(words); err != nil {
			return nil, fmt.Errorf("ssh arguments %q: %v", s, err)
		}
	}
	return o, nil
}

// flagOptions maps short flags taking a value to the option they set.
var flagOptions = map[string]string{
	"-J": "proxyjump", "-i": "identityfile", "-p": "port", "-l": "user",
	"-o": "", "-F": "",
}

// ignoredFlags are value-less flags that do not change what gorun does
// (compression, verbosity, tty allocation that Ansible decides itself).
var ignoredFlags = map[byte]bool{'C': true, 'q': true, 'v': true, 'T': true, 'x': true, 'a': true, 'A': true}

func (o *sshOptions) parseWords(words []string) error {
	for i := 0; i < len(words); i++ {
		w := words[i]
		if len(w) < 2 || w[0] != '-' {
			return fmt.Errorf("unexpected argument %q (only options are allowed)", w)
		}
		flag := w[:2]
		if _, takesValue := flagOptions[flag]; takesValue {
			val := w[2:]
			if val == "" {
				if i+1 == len(words) {
					return fmt.Errorf("option %s needs a value", flag)
				}
				i++
				val = words[i]
			}
			if err := o.setFlag(flag, val); err != nil {
				return err
			}
			continue
		}
		for j := 1; j < len(w); j++ {
			switch {
			case ignoredFlags[w[j]]:
			case w[j] == '4':
				o.set("addressfamily", "inet")
			case w[j] == '6':
				o.set("addressfamily", "inet6")
			default:
				return fmt.Errorf("ssh flag -%c is not supported by gorun", w[j])
			}
		}
	}
	return nil
}

func (o *sshOptions) setFlag(flag, val string) error {
	switch flag {
	case "-o":
		return o.setOption(val)
	case "-F":
		if o.configFile == "" {
			o.configFile = val
		}
		return nil
	default:
		return o.setOption(flagOptions[flag] + "=" + val)
	}
}

// setOption parses one "Key=Value" or "Key Value" option.
func (o *sshOptions) setOption(kv string) error {
	key, val, ok := strings.Cut(kv, "=")
	if !ok {
		key, val, ok = strings.Cut(strings.TrimSpace(kv), " ")
		if !ok {
			return fmt.Errorf("ssh option %q has no value", kv)
		}
	}
	key = strings.ToLower(strings.TrimSpace(key))
	val = strings.TrimSpace(val)
	// OpenSSH removes quotes around a value, as in Ansible's -o 'User="u"'.
	if len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"' {
		val = val[1 : len(val)-1]
	}
	switch {
	case key == "identityfile":
		o.identityFiles = append(o.identityFiles, val)
	case implementedOptions[key]:
		o.set(key, val)
	case harmlessOptions[key]:
	default:
		return fmt.Errorf("ssh option %q is not supported by gorun", key)
	}
	return nil
}

func (o *sshOptions) set(key, val string) {
	if _, seen := o.values[key]; !seen {
		o.values[key] = val
	}
}
