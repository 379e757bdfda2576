package module

import (
	"strings"
	"testing"
)

var copyLike = &Doc{
	Name: "copy",
	Options: []Option{
		{Name: "dest", Type: "path", Required: true},
		{Name: "src", Type: "path"},
		{Name: "content", Type: "str", NoLog: true},
		{Name: "backup", Type: "bool", Default: false},
		{Name: "mode", Type: "raw"},
		{Name: "state", Choices: []any{"present", "absent"}, Default: "present"},
		{Name: "count", Type: "int"},
		{Name: "names", Type: "list", Elements: "str", Aliases: []string{"name"}},
		{Name: "headers", Type: "dict"},
	},
	MutuallyExclusive: [][]string{{"src", "content"}},
}

func TestValidateConvertsAsAnsible(t *testing.T) {
	args, err := copyLike.Validate(map[string]any{"dest": "/x", "backup": "yes", "count": "3", "name": "a,b", "headers": "a=1 b='2 3'"})
	if err != nil {
		t.Fatal(err)
	}
	if args["backup"] != true || args["count"] != 3 || args["state"] != "present" || args["src"] != nil {
		t.Errorf("got %#v", args)
	}
	if l := args.Strings("names"); strings.Join(l, "|") != "a|b" {
		t.Errorf("names %v", l)
	}
	if h := args.Dict("headers"); h["b"] != "2 3" {
		t.Errorf("headers %v", h)
	}
}

func TestValidateErrorsAsAnsible(t *testing.T) {
	cases := []struct {
		raw  map[string]any
		want string
	}{
		{map[string]any{"dest": "/x", "bogus": 1}, "Unsupported parameters for (copy) module: bogus. Supported parameters include: backup, content, count, dest, headers, mode, names, src, state (name)."},
		{map[string]any{}, "missing required arguments: dest"},
		{map[string]any{"dest": "/x", "state": "gone"}, "value of state must be one of: present, absent, got: gone"},
		{map[string]any{"dest": "/x", "src": "a", "content": "b"}, "parameters are mutually exclusive: src|content"},
		{map[string]any{"dest": "/x", "backup": "maybe"}, "argument 'backup' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe' is not a valid boolean."},
		{map[string]any{"dest": "/x", "count": "x"}, "argument 'count' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int"},
	}
	for _, c := range cases {
		_, err := copyLike.Validate(c.raw)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Validate(%v) = %v, want %q", c.raw, err, c.want)
		}
	}
}
