// Package gonjaeval measures github.com/nikolalohinski/gonja/v2 against the
// golden corpus of gorun/engine/template (testdata/golden.json, rendered by
// ansible-playbook). It is its own module so that gonja never enters gorun's
// build: run it with `cd engine/template/internal/gonjaeval && go test -v`.
// The result is summarised in engine/template/doc.go.
package gonjaeval

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nikolalohinski/gonja/v2"
	"github.com/nikolalohinski/gonja/v2/exec"
	"gopkg.in/yaml.v3"
)

// ansiblePlugins are filters, tests and lookups that Ansible adds to Jinja:
// gonja cannot be expected to know them, so cases using them are counted apart.
var ansiblePlugins = regexp.MustCompile(`\|\s*(ansible\.\w+\.|community\.\w+\.)?(b64decode|b64encode|basename|bool|checksum|combinations|combine|comment|dict2items|difference|dirname|expanduser|expandvars|extract|fileglob|flatten|from_json|from_yaml|from_yaml_all|hash|human_readable|human_to_bytes|intersect|items2dict|log|mandatory|md5|password_hash|path_join|permutations|pow|product|quote|random|realpath|regex_escape|regex_findall|regex_replace|regex_search|rekey_on_member|relpath|root|sha1|shuffle|split|splitext|strftime|subelements|symmetric_difference|ternary|to_datetime|to_json|to_nice_json|to_nice_yaml|to_uuid|to_yaml|type_debug|union|unique|unvault|urldecode|urlsplit|vault|win_basename|win_dirname|win_splitdrive|zip|zip_longest|ipaddr|ipv4|ipv6|ipwrap|ipmath|ipsubnet|nthhost|network_in_usable|json_query|dict_kv)\b|\bis\s+(not\s+)?(abs|all|any|change|changed|contains|directory|exists|failed|failure|falsy|file|finished|is_abs|is_dir|is_file|is_link|is_mount|is_same_file|isnan|issubset|issuperset|link|link_exists|match|mount|nan|reachable|regex|same_file|search|skip|skipped|started|subset|succeeded|success|successful|superset|truthy|unreachable|uri|url|urn|vault_encrypted|version|version_compare)\b|\b(lookup|query|q)\(|\bnow\(|omit`)

// pyStr is Python's str() of a JSON value, what Jinja2 prints for it.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return strconv.FormatInt(i, 10)
		}
		f, _ := x.Float64()
		if f == math.Trunc(f) && math.Abs(f) < 1e16 {
			return strconv.FormatFloat(f, 'f', 1, 64)
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case string:
		return "'" + strings.ReplaceAll(x, "'", `\'`) + "'"
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = pyRepr(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // key order is lost in map[string]any; compare sorted
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

type golden struct {
	Expressions []struct {
		Template string          `json:"template"`
		Result   json.RawMessage `json:"result"`
		Error    string          `json:"error"`
	} `json:"expressions"`
}

// render runs gonja, turning its panics into errors.
func render(src string, vars map[string]any) (out string, panicked bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, panicked, err = "", true, fmt.Errorf("panic: %v", r)
		}
	}()
	tpl, err := gonja.FromString(src)
	if err != nil {
		return "", false, err
	}
	out, err = tpl.ExecuteToString(exec.NewContext(vars))
	return out, false, err
}

func TestGonjaAgainstGoldens(t *testing.T) {
	data, err := os.ReadFile("../../testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("../../testdata/vars.yml")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{}
	if err := yaml.Unmarshal(raw, &vars); err != nil {
		t.Fatal(err)
	}
	vars["inventory_hostname"] = "localhost"
	type tally struct{ total, pass, panics int }
	var core, ansible tally
	var coreFails []string
	for _, x := range g.Expressions {
		tl := &core
		if ansiblePlugins.MatchString(x.Template) {
			tl = &ansible
		}
		tl.total++
		got, panicked, err := render(x.Template, vars)
		if panicked {
			tl.panics++
		}
		ok := false
		if x.Error != "" {
			ok = err != nil
		} else if err == nil {
			d := json.NewDecoder(strings.NewReader(string(x.Result)))
			d.UseNumber()
			var want any
			if d.Decode(&want) == nil {
				ok = got == pyStr(want)
			}
		}
		if ok {
			tl.pass++
		} else if tl == &core {
			coreFails = append(coreFails, fmt.Sprintf("%s => %q, %v", x.Template, got, err))
		}
	}
	t.Logf("Jinja-only expressions: %d/%d rendered as ansible-playbook does (%d panics)", core.pass, core.total, core.panics)
	t.Logf("expressions using Ansible plugins: %d/%d (%d panics)", ansible.pass, ansible.total, ansible.panics)
	for _, f := range coreFails {
		t.Log("differs: " + f)
	}
}
