package playbook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorun/engine/value"
)

func known(name string, _ []string) bool {
	switch ShortName(name) {
	case "debug", "shell", "command":
		return true
	}
	return false
}

func TestLoadPlaybook(t *testing.T) {
	l := &Loader{KnownAction: known}
	pb, err := l.LoadPlaybook("testdata/basic/site.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(pb.Plays) != 2 {
		t.Fatalf("plays %d", len(pb.Plays))
	}
	p := pb.Plays[0]
	if len(p.Roles) != 2 || p.Roles[0].Name != "web" || len(p.Roles[0].Deps) != 1 || p.Roles[1].Params.Len() != 1 {
		t.Errorf("roles %+v", p.Roles)
	}
	tasks := p.Tasks[0].Block
	sh := tasks[0].(*Task)
	if sh.Action != "shell" || sh.Args["_raw_params"] != "echo hi" || sh.Args["chdir"] != "/tmp" || sh.Pos.Line != 13 {
		t.Errorf("shell %+v %+v", sh.Args, sh.Pos)
	}
	if b, ok := p.Tasks[1].Block[0].(*Task); !ok || b.Action != "command" {
		t.Errorf("block %+v", p.Tasks[1])
	}
	imp := p.Tasks[2]
	if !imp.Implicit {
		t.Errorf("import should be implicit wrapper")
	}
	act := p.Tasks[2].Block[1].(*Task)
	if act.Action != "command" || act.Args["_raw_params"] != "echo a b=c" {
		t.Errorf("action %+v", act.Args)
	}
	la := p.Tasks[2].Block[2].(*Task)
	if la.Action != "debug" || la.Attrs["delegate_to"] != "localhost" || la.Args["msg"] != "hi" {
		t.Errorf("local_action %+v %+v", la.Args, la.Attrs)
	}
	loop := p.Tasks[2].Block[3].(*Task)
	if loop.LoopWith != "items" {
		t.Errorf("with_items %+v", loop)
	}
	if v, _ := pb.Plays[1].ImportVars.Get("y"); v != 2 {
		t.Errorf("import vars %v", v)
	}
}

func TestUnknownModuleIsPositionedError(t *testing.T) {
	l := &Loader{KnownAction: known}
	_, err := l.LoadPlaybook("testdata/bad_module.yml")
	if err == nil || !strings.Contains(err.Error(), "couldn't resolve module/action 'copyy'") || !strings.Contains(err.Error(), "line 3, column 7") || !strings.Contains(err.Error(), "^ here") {
		t.Fatalf("got %v", err)
	}
}

func TestParseKV(t *testing.T) {
	got, err := ParseKV(`echo "a b" c=d chdir=/tmp`, true)
	if err != nil || got["_raw_params"] != `echo "a b" c=d` || got["chdir"] != "/tmp" {
		t.Errorf("%v %v", got, err)
	}
	got, _ = ParseKV(`msg="hello {{ a | default('x y') }}" x='1 2'`, false)
	if got["msg"] != "hello {{ a | default('x y') }}" || got["x"] != "1 2" {
		t.Errorf("%v", got)
	}
	// As parse_kv: escapes are decoded in k=v words and in words whose
	// only '=' is escaped, never in the other free text.
	got, _ = ParseKV(`printf 'a\\ b\t' x\=1\n creates=/t\x41`, true)
	if got["_raw_params"] != "printf 'a\\\\ b\\t' x=1\n" || got["creates"] != "/tA" {
		t.Errorf("%q", got)
	}
}

func TestLegacyInclude(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("inc.yml", "- debug: msg=x\n")
	write("site.yml", `- hosts: all
  tasks:
    - include: inc.yml x=1
    - include: inc.yml
      loop: [1]
    - include: "{{ f }}.yml"
`)
	var deprecations []string
	l := &Loader{KnownAction: known, Deprecate: func(m string) { deprecations = append(deprecations, m) }}
	pb, err := l.LoadPlaybook(filepath.Join(dir, "site.yml"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := pb.Plays[0].Tasks[0].Block
	static, ok := blocks[0].(*Block)
	if !ok || !static.Implicit || len(static.Block) != 1 {
		t.Fatalf("a static include is not an import: %#v", blocks[0])
	}
	if v, _ := value.ToDict(static.Attrs["vars"]).Get("x"); v != "1" {
		t.Errorf("include's k=v did not become vars: %v", static.Attrs["vars"])
	}
	for _, i := range []int{1, 2} {
		if tk, ok := blocks[i].(*Task); !ok || tk.Action != ActionIncludeTasks {
			t.Errorf("item %d: a looped or templated include is not an include_tasks: %#v", i, blocks[i])
		}
	}
	if len(deprecations) != 3 || !strings.Contains(deprecations[0], `"include" is deprecated`) {
		t.Errorf("deprecations %q", deprecations)
	}
}
