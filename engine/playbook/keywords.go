package playbook

import "strings"

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// The keywords each object accepts, as ansible-core 2.14's FieldAttributes
// declare them (ansible.playbook.play.Play.fattributes and friends).
var (
	playKeywords = set(`any_errors_fatal become become_exe become_flags become_method become_user
		check_mode collections connection debugger diff environment fact_path force_handlers
		gather_facts gather_subset gather_timeout handlers hosts ignore_errors ignore_unreachable
		max_fail_percentage module_defaults name no_log order port post_tasks pre_tasks remote_user
		roles run_once serial strategy tags tasks throttle timeout vars vars_files vars_prompt`)

	blockKeywords = set(`always any_errors_fatal become become_exe become_flags become_method
		become_user block check_mode collections connection debugger delegate_facts delegate_to diff
		environment ignore_errors ignore_unreachable module_defaults name no_log notify port
		remote_user rescue run_once tags throttle timeout vars when`)

	taskKeywords = set(`action any_errors_fatal args async become become_exe become_flags
		become_method become_user changed_when check_mode collections connection debugger delay
		delegate_facts delegate_to diff environment failed_when ignore_errors ignore_unreachable
		local_action loop loop_control module_defaults name no_log notify poll port register
		remote_user retries run_once tags throttle timeout until vars when`)

	// handlerKeywords adds listen to the task keywords.
	handlerKeywords = set(`listen`)

	// roleEntryKeywords are the keywords of a roles: entry; other keys are role params.
	roleEntryKeywords = set(`any_errors_fatal become become_exe become_flags become_method
		become_user check_mode collections connection debugger delegate_facts delegate_to diff
		environment ignore_errors ignore_unreachable module_defaults name no_log port remote_user
		role run_once tags throttle timeout vars when`)

	importPlaybookKeywords = set(`any_errors_fatal become become_exe become_flags become_method
		become_user check_mode connection debugger diff environment ignore_errors ignore_unreachable
		import_playbook module_defaults name no_log port remote_user run_once tags throttle timeout
		vars when`)
)

// Actions the engine itself performs (not modules): includes and imports are
// resolved by the parser or the runner.
const (
	ActionImportTasks   = "import_tasks"
	ActionIncludeTasks  = "include_tasks"
	ActionImportRole    = "import_role"
	ActionIncludeRole   = "include_role"
	ActionInclude       = "include"
	ActionMeta          = "meta"
	ActionImportPlaybok = "import_playbook"
)

// freeFormActions take free-form text (Ansible's FREEFORM_ACTIONS).
var freeFormActions = set(`command shell raw script win_command win_shell`)

// rawParamActions may take free-form text besides k=v (Ansible's RAW_PARAM_MODULES).
var rawParamActions = set(`command shell raw script win_command win_shell include include_vars
	include_tasks include_role import_tasks import_role add_host group_by set_fact meta`)

// ShortName strips the ansible.builtin./ansible.legacy. prefix.
func ShortName(action string) string {
	for _, p := range []string{"ansible.builtin.", "ansible.legacy."} {
		if s, ok := strings.CutPrefix(action, p); ok {
			return s
		}
	}
	return action
}

// builtinLookups are the lookup plugins of ansible-core (ansible/plugins/
// lookup), which a `with_<name>` loop may name without a collection.
var builtinLookups = map[string]bool{
	"config": true, "csvfile": true, "dict": true, "env": true, "file": true, "fileglob": true,
	"first_found": true, "indexed_items": true, "ini": true, "inventory_hostnames": true,
	"items": true, "lines": true, "list": true, "nested": true, "password": true, "pipe": true,
	"random_choice": true, "sequence": true, "subelements": true, "template": true,
	"together": true, "unvault": true, "url": true, "varnames": true, "vars": true,
}

// isLookup reports whether Ansible's lookup loader would find name: a
// builtin lookup, or a collection-qualified one (whose plugin gorun resolves,
// or fails on by name, when the loop runs).
func isLookup(name string) bool {
	return builtinLookups[strings.TrimPrefix(strings.TrimPrefix(name, "ansible.builtin."), "ansible.legacy.")] ||
		strings.Count(name, ".") >= 2
}
