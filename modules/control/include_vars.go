package control

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gorun/engine/module"
	"gorun/engine/value"
	"gorun/engine/yamlx"
)

func init() { module.Register(includeVars{}) }

type includeVars struct{}

func (includeVars) Doc() *module.Doc {
	return &module.Doc{
		Name:  "include_vars",
		Names: []string{"ansible.builtin.include_vars"},
		Short: "Load variables from files, dynamically within a task",
		Description: []string{"Loads YAML/JSON variables dynamically from a file or directory, recursively, during task runtime.",
			"If loading a directory, the files are sorted alphabetically before being loaded."},
		Options: []module.Option{
			{Name: "file", Type: "path", Description: "The file name from which variables should be loaded. If the path is relative, it will look for the file in vars/ subdirectory of a role or relative to playbook."},
			{Name: "dir", Type: "path", Description: "The directory name from which the variables should be loaded."},
			{Name: "name", Type: "str", Description: "The name of a variable into which assign the included vars."},
			{Name: "depth", Type: "int", Default: 0, Description: "When using dir, this module will, by default, recursively go through each sub directory and load up the variables. By explicitly setting the depth, this module will only go as deep as the depth."},
			{Name: "files_matching", Type: "str", Description: "Limit the files that are loaded within any directory to this regular expression."},
			{Name: "ignore_files", Type: "list", Elements: "str", Description: "List of file names to ignore."},
			{Name: "extensions", Type: "list", Elements: "str", Default: []any{"json", "yaml", "yml"}, Description: "List of file extensions to read when using dir."},
			{Name: "ignore_unknown_extensions", Type: "bool", Default: false, Description: "Ignore unknown file extensions within the directory."},
			{Name: "hash_behaviour", Type: "str", Choices: []any{"replace", "merge"}, Description: "If set to merge, merges existing hash variables instead of overwriting them."},
		},
		FreeForm:          true,
		MutuallyExclusive: [][]string{{"file", "dir"}},
		Check:             module.Full, Diff: module.None, Controller: true,
		Examples: `- name: Include vars of stuff.yaml into the 'stuff' variable
  ansible.builtin.include_vars:
    file: stuff.yaml
    name: stuff

- name: Load a variable file based on the OS type, or a default if not found
  ansible.builtin.include_vars: "{{ lookup('ansible.builtin.first_found', params) }}"`,
	}
}

func (includeVars) Run(ctx context.Context, c *module.Call) (module.Result, error) {
	if c.Args.String("hash_behaviour") == "merge" {
		return module.Failed("include_vars: hash_behaviour=merge is not supported by gorun yet"), nil
	}
	var files []string
	switch {
	case c.Args.Has("dir"):
		dir := varsDir(c)
		if st, err := os.Stat(dir); err != nil {
			return includeFailed(c, dir+" directory does not exist", []any{}, value.NewDict()), nil
		} else if !st.IsDir() {
			return includeFailed(c, dir+" is not a directory", []any{}, value.NewDict()), nil
		}
		found, err := varsDirFiles(dir, c.Args)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		files = found
	default:
		name := c.Args.String("file")
		if name == "" {
			name, _ = c.Args["_raw_params"].(string)
		}
		name = strings.TrimSpace(name)
		if name == "" {
			return module.Failed("No filename or directory was given to include_vars"), nil
		}
		path, err := c.Files.Find("vars", name)
		if err != nil {
			return includeFailed(c, err.Error(), []any{}, value.NewDict()), nil
		}
		files = []string{path}
	}
	merged := value.NewDict()
	included := []any{}
	fromJSON := map[string]bool{}
	allJSON := true
	for _, f := range files {
		doc, err := yamlx.ParseFile(f)
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		v, err := doc.Decode()
		if err != nil {
			return module.Failed(err.Error()), nil
		}
		allJSON = allJSON && doc.JSON
		if v == nil {
			included = append(included, f)
			continue
		}
		d, ok := v.(*value.Dict)
		if !ok {
			return includeFailed(c, fmt.Sprintf("%s must be stored as a dictionary/hash", f), included, merged), nil
		}
		for _, k := range d.Keys() {
			x, _ := d.Get(k)
			merged.Set(k, x)
			fromJSON[k] = doc.JSON
		}
		included = append(included, f)
	}
	facts := merged
	if n := c.Args.String("name"); n != "" {
		facts = value.DictOf(n, merged)
		fromJSON = map[string]bool{n: allJSON && len(included) > 0}
	}
	var jsonFacts []any
	for _, k := range facts.Keys() {
		if fromJSON[k] {
			jsonFacts = append(jsonFacts, k)
		}
	}
	res := module.Result{"ansible_facts": facts, "ansible_included_var_files": included, "changed": false}
	if len(jsonFacts) > 0 {
		res[module.JSONFactsKey] = jsonFacts
	}
	return res, nil
}

// varsDir is where the action looks for dir (its _set_root_dir): in a
// role, vars/... under the role when it exists there and anything else
// under the role's vars/; outside roles, beside the task's file.
func varsDir(c *module.Call) string {
	dir := c.Args.String("dir")
	join := func(base, p string) string { // Python's path.join
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	if role, _ := c.Vars["role_path"].(string); role != "" {
		if strings.Split(dir, "/")[0] == "vars" {
			if p := join(role, dir); exists(p) {
				return p
			}
			return dir
		}
		return join(join(role, "vars"), dir)
	}
	// Outside a role the search path starts with the task file's directory.
	if sp, ok := c.Vars["ansible_search_path"].([]any); ok && len(sp) > 0 {
		return join(fmt.Sprint(sp[0]), dir)
	}
	return dir
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// includeFailed is the action's failure as Ansible's include_vars returns
// it: "message", not "msg", beside the files included so far and the
// variables read from them.
func includeFailed(c *module.Call, msg string, included []any, vars *value.Dict) module.Result {
	facts := vars
	if n := c.Args.String("name"); n != "" {
		facts = value.DictOf(n, vars)
	}
	return module.Result{"failed": true, "message": msg, "changed": false,
		"ansible_included_var_files": included, "ansible_facts": facts}
}

func varsDirFiles(dir string, args module.Args) ([]string, error) {
	var match *regexp.Regexp
	if p := args.String("files_matching"); p != "" {
		re, err := regexp.Compile(p)
		if err != nil {
			return nil, err
		}
		match = re
	}
	ignore := map[string]bool{}
	for _, f := range args.Strings("ignore_files") {
		ignore[f] = true
	}
	exts := map[string]bool{}
	for _, e := range args.Strings("extensions") {
		exts[strings.TrimPrefix(e, ".")] = true
	}
	depth := args.Int("depth")
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		level := strings.Count(rel, string(filepath.Separator)) + 1
		if d.IsDir() {
			if p != dir && depth > 0 && level > depth {
				return filepath.SkipDir
			}
			return nil
		}
		if depth > 0 && level > depth {
			return nil
		}
		base := filepath.Base(p)
		if ignore[base] || (match != nil && !match.MatchString(base)) {
			return nil
		}
		if !exts[strings.TrimPrefix(filepath.Ext(base), ".")] {
			if args.Bool("ignore_unknown_extensions") {
				return nil
			}
			return fmt.Errorf("%s does not have a valid extension: %s", p, strings.Join(args.Strings("extensions"), ", "))
		}
		out = append(out, p)
		return nil
	})
	sort.Strings(out)
	return out, err
}
