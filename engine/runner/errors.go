package runner

import (
	"errors"
	"fmt"

	"gorun/engine/playbook"
	"gorun/engine/template"
)

// undefinedText is Ansible's text for an undefined variable: the message,
// then the original exception's again (AnsibleError appends ". orig_exc").
func undefinedText(err error) (string, bool) {
	var ue *template.UndefinedError
	if !errors.As(err, &ue) {
		return "", false
	}
	return ue.Error() + ". " + ue.Error(), true
}

// argsError is the failure message for a task whose arguments did not
// template, as TaskExecutor words it for an undefined variable, with the
// task's place in its file.
func argsError(t *playbook.Task, err error) string {
	if u, ok := undefinedText(err); ok {
		return "The task includes an option with an undefined variable. The error was: " + u + playbook.ErrorContext(t.Pos, u)
	}
	return err.Error()
}

// conditionError is the failure message of a when that did not evaluate.
func conditionError(t *playbook.Task, cond any, err error) error {
	if u, ok := undefinedText(err); ok {
		return fmt.Errorf("The conditional check '%v' failed. The error was: error while evaluating conditional (%v): %s%s", cond, cond, u, playbook.ErrorContext(t.Pos, ""))
	}
	return fmt.Errorf("The conditional check '%v' failed. The error was: %v", cond, err)
}

// loopError is the failure message of a loop whose items did not template.
func loopError(err error) string {
	if u, ok := undefinedText(err); ok {
		return u
	}
	return err.Error()
}

// fieldError is a task keyword whose value did not template, as
// FieldAttribute's post_validate reports it: raised before the action
// runs, so its result has no "changed".
type fieldError struct{ msg string }

func (e *fieldError) Error() string { return e.msg }

// keywordError is fieldError's message for the keyword name of t, or err
// itself when it is not an undefined variable.
func keywordError(t *playbook.Task, name string, err error) error {
	if u, ok := undefinedText(err); ok {
		return &fieldError{fmt.Sprintf("The field '%s' has an invalid value, which includes an undefined variable. The error was: %s%s", name, u, playbook.ErrorContext(t.Pos, u))}
	}
	return err
}
