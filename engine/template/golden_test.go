package template

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"gorun/engine/value"
	"gorun/engine/yamlx"
)

// golden is testdata/golden.json, written by testdata/regen.sh from ansible-playbook's output.
type golden struct {
	Expressions []struct {
		Template string          `json:"template"`
		Result   json.RawMessage `json:"result"`
		Error    string          `json:"error"`
		Message  string          `json:"message"`
	} `json:"expressions"`
	Conditions []struct {
		Condition string `json:"condition"`
		Result    bool   `json:"result"`
		Error     string `json:"error"`
	} `json:"conditions"`
	Templates []struct {
		Template string `json:"template"`
		Golden   string `json:"golden"`
		Error    string `json:"error"`
	} `json:"templates"`
	Roles []struct {
		Role   string `json:"role"`
		Golden string `json:"golden"`
		Error  string `json:"error"`
	} `json:"roles"`
	FileOptions []struct {
		Template string         `json:"template"`
		Options  map[string]any `json:"options"`
		Golden   string         `json:"golden"`
		Error    string         `json:"error"`
	} `json:"file_options"`
}

func loadGolden(t testing.TB) (*golden, *Context) {
	t.Helper()
	data, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	v, _, err := yamlx.LoadFile("testdata/vars.yml")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{}
	d := v.(*value.Dict)
	for _, k := range d.Keys() {
		vars[k], _ = d.Get(k)
	}
	// inventory_hostname and groups are magic variables ansible-playbook provides (for -i localhost,); the runner does the same.
	vars["inventory_hostname"] = "localhost"
	vars["groups"] = value.DictOf("all", []any{"localhost"}, "ungrouped", []any{"localhost"})
	// ansible-playbook reads vars.yml as a vars_files entry: its strings are AnsibleUnicode.
	fromYAML := func(name string) bool { return d.Has(name) }
	return &g, &Context{Vars: vars, SearchPath: []string{"testdata"}, FromYAML: fromYAML}
}

// canonical renders a value as sorted JSON so types and contents compare
// exactly. Object addresses (Python's "<... at 0x7f29be433700>") differ from
// run to run in Python too, so they are replaced by a placeholder.
func canonical(v any) string {
	s, err := toJSON(v, -1, true, true)
	if err != nil {
		return "<unserializable: " + err.Error() + ">"
	}
	return objectAddress.ReplaceAllString(s, " at 0xADDRESS>")
}

var objectAddress = regexp.MustCompile(` at 0x[0-9a-f]+>`)

func errorKind(err error) string {
	var ue *UndefinedError
	if errors.As(err, &ue) {
		return "undefined"
	}
	return "error"
}

// knownGaps are goldens gorun does not match yet, with the reason; they are
// reported, not failed. Remove an entry when it is fixed.
var knownGaps = map[string]string{}

func TestGoldenExpressions(t *testing.T) {
	g, ctx := loadGolden(t)
	e := New(Options{})
	pass := 0
	for _, x := range g.Expressions {
		if why, ok := knownGaps[x.Template]; ok {
			t.Logf("known gap: %s: %s", x.Template, why)
			continue
		}
		got, err := e.Template(x.Template, ctx)
		switch {
		case x.Error != "":
			if err == nil {
				t.Errorf("%s: want %s error (%.120s), got %s", x.Template, x.Error, x.Message, canonical(got))
				continue
			}
			if k := errorKind(err); k != x.Error {
				t.Errorf("%s: want %s error (%.120s), got %s error: %v", x.Template, x.Error, x.Message, k, err)
				continue
			}
		default:
			want, jerr := value.FromJSON(x.Result)
			if jerr != nil {
				t.Fatalf("bad golden %s: %v", x.Template, jerr)
			}
			if err != nil {
				t.Errorf("%s: want %s, got error: %v", x.Template, canonical(want), err)
				continue
			}
			if canonical(got) != canonical(want) {
				t.Errorf("%s:\n want %s\n  got %s", x.Template, canonical(want), canonical(got))
				continue
			}
		}
		pass++
	}
	t.Logf("expressions: %d/%d match ansible-playbook", pass, len(g.Expressions))
}

func TestGoldenConditions(t *testing.T) {
	g, ctx := loadGolden(t)
	e := New(Options{})
	for _, c := range g.Conditions {
		got, err := e.Condition(c.Condition, ctx)
		switch {
		case c.Error != "":
			if err == nil {
				t.Errorf("%s: want %s error, got %v", c.Condition, c.Error, got)
			} else if k := errorKind(err); k != c.Error {
				t.Errorf("%s: want %s error, got %s error: %v", c.Condition, c.Error, k, err)
			}
		case err != nil:
			t.Errorf("%s: want %v, got error %v", c.Condition, c.Result, err)
		case got != c.Result:
			t.Errorf("%s: want %v, got %v", c.Condition, c.Result, got)
		}
	}
}

func TestGoldenTemplates(t *testing.T) {
	g, ctx := loadGolden(t)
	e := New(Options{})
	for _, x := range g.Templates {
		path := filepath.Join("testdata", "templates", x.Template)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		opts := DefaultFileOptions()
		opts.Path = path
		got, err := e.File(string(src), ctx, opts)
		if x.Error != "" {
			if err == nil {
				t.Errorf("%s: want error", x.Template)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", x.Template, err)
			continue
		}
		want, err := os.ReadFile(filepath.Join("testdata", x.Golden))
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s:\n--- want\n%s\n--- got\n%s", x.Template, want, got)
		}
	}
}

// fileOptions maps the template module's options onto FileOptions.
func fileOptions(t *testing.T, path string, o map[string]any) FileOptions {
	opts := DefaultFileOptions()
	opts.Path = path
	for k, v := range o {
		b, _ := v.(bool)
		s, _ := v.(string)
		switch k {
		case "trim_blocks":
			opts.TrimBlocks = b
		case "lstrip_blocks":
			opts.LstripBlocks = b
		case "keep_trailing_newline":
			opts.KeepTrailingNewline = b
		case "newline_sequence":
			opts.NewlineSequence = s
		case "variable_start_string":
			opts.VariableStart = s
		case "variable_end_string":
			opts.VariableEnd = s
		case "block_start_string":
			opts.BlockStart = s
		case "block_end_string":
			opts.BlockEnd = s
		case "comment_start_string":
			opts.CommentStart = s
		case "comment_end_string":
			opts.CommentEnd = s
		default:
			t.Fatalf("unknown template option %s", k)
		}
	}
	return opts
}

func TestGoldenTemplateOptions(t *testing.T) {
	g, ctx := loadGolden(t)
	e := New(Options{})
	for _, x := range g.FileOptions {
		path := filepath.Join("testdata", "templates", x.Template)
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.File(string(src), ctx, fileOptions(t, path, x.Options))
		if x.Error != "" {
			if err == nil {
				t.Errorf("%s %v: want error", x.Template, x.Options)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %v: %v", x.Template, x.Options, err)
			continue
		}
		want, err := os.ReadFile(filepath.Join("testdata", x.Golden))
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s %v:\n--- want\n%q\n--- got\n%q", x.Template, x.Options, want, got)
		}
	}
}

// roleContext is what a template of testdata/roles/NAME sees when regen.sh
// runs it with include_role: the role's defaults below the play's vars file,
// the role's vars above it, and the include's vars (facts.yml) on top.
func roleContext(t *testing.T, base *Context, dir string) *Context {
	t.Helper()
	vars := map[string]any{}
	layer := func(file string, over bool) {
		v, _, err := yamlx.LoadFile(filepath.Join(dir, file))
		if errors.Is(err, os.ErrNotExist) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		d, ok := v.(*value.Dict)
		if !ok {
			return
		}
		for _, k := range d.Keys() {
			if _, exists := vars[k]; exists && !over {
				continue
			}
			vars[k], _ = d.Get(k)
		}
	}
	layer("defaults/main.yml", true)
	for k, v := range base.Vars {
		vars[k] = v
	}
	layer("vars/main.yml", true)
	layer("facts.yml", true)
	return &Context{Vars: vars, SearchPath: []string{dir}}
}

func TestGoldenRoleTemplates(t *testing.T) {
	g, base := loadGolden(t)
	e := New(Options{})
	for _, x := range g.Roles {
		dir := filepath.Join("testdata", "roles", x.Role)
		matches, _ := filepath.Glob(filepath.Join(dir, "templates", "*.j2"))
		if len(matches) != 1 {
			t.Fatalf("%s: want one template, found %v", dir, matches)
		}
		src, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		opts := DefaultFileOptions()
		opts.Path = matches[0]
		got, err := e.File(string(src), roleContext(t, base, dir), opts)
		if x.Error != "" {
			if err == nil {
				t.Errorf("%s: want error", x.Role)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", x.Role, err)
			continue
		}
		want, err := os.ReadFile(filepath.Join("testdata", x.Golden))
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s:\n--- want\n%s\n--- got\n%s", x.Role, want, got)
		}
	}
	t.Logf("role templates: %d", len(g.Roles))
}
