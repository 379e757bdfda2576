package runner

import "gorun/engine/value"

// delegatedVars is a delegated result's _ansible_delegated_vars, which the
// output callback reads to show "h1 -> h2(address)": the delegate's name and
// its connection variables as the inventory sets them, ansible_host
// defaulting to the name (TaskExecutor._execute adds them to the result).
func (r *Runner) delegatedVars(delegate string) map[string]any {
	dv := map[string]any{"ansible_delegated_host": delegate, "ansible_host": delegate}
	vars := hostInventoryVars(r.opts.Inventory.Host(delegate))
	for _, k := range []string{"ansible_host", "ansible_port", "ansible_user", "ansible_connection"} {
		if v, ok := vars.Get(k); ok {
			dv[k] = v
		}
	}
	return dv
}

// delegatedHost is the host a result was delegated to, or "".
func delegatedHost(result map[string]any) string {
	v, _ := value.Lookup(result["_ansible_delegated_vars"], "ansible_delegated_host")
	s, _ := v.(string)
	return s
}
