package main

import (
	"errors"
	"io"
	"strings"

	"gorun/engine/config"
	"gorun/engine/prompt"
)

// askPasswords is Ansible's CLI.ask_passwords: with -k (or ask_pass) the
// SSH password, then with -K (or become_ask_pass) the become password,
// whose prompt names the become method unless AGNOSTIC_BECOME_PROMPT and
// says it defaults to the SSH password when -k asked for one. Ctrl+D ends
// the prompting without an error, as Ansible's EOFError handler does.
func (o *options) askPasswords(cfg *config.Config) error {
	askPass := o.askPass || cfg.Bool("DEFAULT_ASK_PASS")
	method := "BECOME"
	if !cfg.Bool("AGNOSTIC_BECOME_PROMPT") {
		method = strings.ToUpper(firstString(o.becomeMethod, cfg.String("DEFAULT_BECOME_METHOD"), "sudo"))
	}
	becomePrompt := method + " password: "
	if askPass {
		pw, err := prompt.Secret("SSH password: ")
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		o.sshPass = pw
		becomePrompt = method + " password[defaults to SSH password]: "
	}
	if o.askBecomePass || cfg.Bool("DEFAULT_BECOME_ASK_PASS") {
		pw, err := prompt.Secret(becomePrompt)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		o.becomePass = pw
		if askPass && pw == "" {
			o.becomePass = o.sshPass
		}
	}
	return nil
}
