package playbook

import (
	_ "embed"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

//go:embed ansible_modules.txt
var ansibleModulesText string

// ansibleModules are ansible-core's own modules and actions and its module
// redirects (short name -> fully qualified target), read once.
var ansibleModules = sync.OnceValues(func() (map[string]bool, map[string]string) {
	builtin, redirects := map[string]bool{}, map[string]string{}
	for _, line := range strings.Split(ansibleModulesText, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if name, target, ok := strings.Cut(line, " "); ok {
			redirects[name] = target
		} else {
			builtin[line] = true
		}
	}
	return builtin, redirects
})

// AnsibleResolves reports whether ansible-playbook would find the module
// or action name, given the task's collections keyword and the directories
// holding ansible_collections/: one of ansible.builtin, a redirect of
// ansible-core's runtime metadata to an installed collection, or a module
// or action plugin of an installed collection. It returns the fully
// qualified name found. gorun accepts such a name in a playbook it loads
// (a task that never runs, such as a Windows handler in a role, must not
// stop the run) and fails the task that runs it, naming it.
func AnsibleResolves(name string, collections, collectionsPath []string) (string, bool) {
	builtin, redirects := ansibleModules()
	name = strings.TrimPrefix(name, "ansible.legacy.")
	candidates := []string{name}
	if !strings.Contains(name, ".") {
		candidates = []string{"ansible.builtin." + name}
		for _, c := range collections {
			candidates = append(candidates, c+"."+name)
		}
	}
	for _, fq := range candidates {
		if short, ok := strings.CutPrefix(fq, "ansible.builtin."); ok {
			if builtin[short] {
				return fq, true
			}
			if target, ok := redirects[short]; ok && collectionHasModule(target, collectionsPath) {
				return target, true
			}
			continue
		}
		if collectionHasModule(fq, collectionsPath) {
			return fq, true
		}
	}
	return "", false
}

// collectionHasModule reports whether an installed collection has the
// module or action plugin fq (namespace.collection.name), or routes it
// elsewhere in its meta/runtime.yml.
func collectionHasModule(fq string, collectionsPath []string) bool {
	parts := strings.SplitN(fq, ".", 3)
	if len(parts) != 3 {
		return false
	}
	for _, dir := range collectionsPath {
		root := filepath.Join(dir, "ansible_collections", parts[0], parts[1])
		for _, kind := range []string{"modules", "action"} {
			for _, ext := range []string{".py", ".ps1"} {
				if _, err := os.Stat(filepath.Join(root, "plugins", kind, parts[2]+ext)); err == nil {
					return true
				}
			}
		}
		if routed(filepath.Join(root, "meta", "runtime.yml"), parts[2]) {
			return true
		}
	}
	return false
}

// routed reports whether the collection metadata file routes the module
// name (plugin_routing.modules.NAME: a redirect, deprecation or removal).
func routed(runtimeYML, name string) bool {
	data, err := os.ReadFile(runtimeYML)
	if err != nil {
		return false
	}
	doc, _, err := yamlx.Load(data, runtimeYML)
	if err != nil {
		return false
	}
	modules, _ := value.Lookup(doc, "plugin_routing")
	modules, _ = value.Lookup(modules, "modules")
	_, ok := value.Lookup(modules, name)
	return ok
}
