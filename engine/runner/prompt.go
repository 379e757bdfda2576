package runner

import (
	"fmt"

	"gorun/engine/output"
	"gorun/engine/prompt"
	"gorun/engine/template"
	"gorun/engine/value"
)

// varsPrompt sets the variables of a play's vars_prompt as
// ansible-playbook does (PlaybookExecutor and Display.do_var_prompt): the
// entries are templated with the play's variables; a variable given with
// -e is not asked for; on a terminal each is asked for ("PROMPT [DEFAULT]: ",
// hidden when private, asked twice with confirm until both answers match),
// an empty answer takes the default; not on a terminal Ansible warns "Not
// prompting as we are not in interactive mode" and takes the default (or
// None). encrypt hashes the answer as the password_hash filter does.
func (pr *playRun) varsPrompt(v any) error {
	tctx := pr.r.playContext(pr.play)
	if rv, err := pr.r.opts.Templates.Template(v, tctx); err == nil {
		v = rv
	}
	list, _ := v.([]any)
	interactive := prompt.Interactive()
	for _, p := range list {
		d := value.ToDict(p)
		if d == nil {
			continue
		}
		get := func(k string) any { x, _ := d.Get(k); return x }
		n := template.ToText(get("name"))
		if pr.r.opts.ExtraVars.Has(n) {
			continue
		}
		text := n
		if d.Has("prompt") {
			text = template.ToText(get("prompt"))
		}
		def := get("default")
		private := !d.Has("private") || truthy(get("private"))
		var answer any
		if interactive {
			msg := "input for " + n + ": "
			switch {
			case text != "" && def != nil:
				msg = fmt.Sprintf("%s [%s]: ", text, template.ToText(def))
			case text != "":
				msg = text + ": "
			}
			a, err := askVar(msg, private, truthy(get("confirm")))
			if err != nil {
				return fmt.Errorf("vars_prompt '%s': %v", n, err)
			}
			answer = a
		} else {
			pr.r.emit(func(cb output.Callback) { cb.Warning("Not prompting as we are not in interactive mode") })
		}
		if s, _ := answer.(string); s == "" && def != nil {
			answer = def
		}
		if enc := get("encrypt"); enc != nil {
			hashed, err := encryptPrompt(pr, answer, enc, get("salt_size"), get("salt"))
			if err != nil {
				return fmt.Errorf("vars_prompt '%s': %v", n, err)
			}
			answer = hashed
		}
		result := template.ToText(answer)
		if truthy(get("unsafe")) {
			pr.promptVars.Set(n, value.Unsafe(result))
		} else {
			pr.promptVars.Set(n, result)
		}
	}
	return nil
}

// askVar asks once, or with confirm until two answers match, printing
// Ansible's "***** VALUES ENTERED DO NOT MATCH ****" between tries.
func askVar(msg string, private, confirm bool) (string, error) {
	for {
		first, err := prompt.Ask(msg, private)
		if err != nil || !confirm {
			return first, err
		}
		second, err := prompt.Ask("confirm "+msg, private)
		if err != nil {
			return "", err
		}
		if first == second {
			return first, nil
		}
		prompt.Say("***** VALUES ENTERED DO NOT MATCH ****")
	}
}

// encryptPrompt is Ansible's do_encrypt: the password_hash filter with the
// prompt's encrypt, salt and salt_size.
func encryptPrompt(pr *playRun, answer, enc, saltSize, salt any) (any, error) {
	vars := map[string]any{"answer": answer, "hashtype": enc, "salt": salt, "salt_size": saltSize}
	expr := "{{ answer | password_hash(hashtype, salt=salt, salt_size=salt_size) }}"
	return pr.r.opts.Templates.Template(expr, &template.Context{Vars: vars})
}
