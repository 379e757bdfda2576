package pyre

import "testing"

func TestPythonSyntax(t *testing.T) {
	cases := []struct {
		pattern, subject, repl, want string
		flags                        Flags
	}{
		{`(?P<word>\w+)-(?P=word)`, "ab-ab cd-ef", `<\g<word>>`, "<ab> cd-ef", 0},
		{`(\w+)@(\w+)`, "me@host", `\2 at \1`, "host at me", 0},
		{`(?<=a)b`, "ab cb", "X", "aX cb", 0},
		{`a(?!c)`, "ab ac", "X", "Xb ac", 0},
		{`\d+`, "a1b22", `#`, "a#b#", 0},
		{`^x`, "x\nx", "y", "y\ny", Multiline},
		{`^x`, "x\nx", "y", "y\nx", 0},
		{`X`, "xX", "-", "--", IgnoreCase},
		{`a.b`, "a\nb", "-", "-", DotAll},
		{`end\Z`, "the end", "E", "the E", 0},
		{`[]a]`, "]a", "-", "--", 0},
		{`(a)|(b)`, "ab", `[\1\2]`, "[a][b]", 0},
		{`x`, "axa", `\n`, "a\na", 0},
	}
	for _, c := range cases {
		re, err := Compile(c.pattern, c.flags)
		if err != nil {
			t.Errorf("%s: %v", c.pattern, err)
			continue
		}
		got, err := re.Sub(c.repl, c.subject, 0)
		if err != nil || got != c.want {
			t.Errorf("sub(%q, %q, %q) = %q, %v; want %q", c.pattern, c.repl, c.subject, got, err, c.want)
		}
	}
}

func TestMatchSearchFull(t *testing.T) {
	re := MustCompile(`b+`, 0)
	if m, _ := re.MatchStart("abb"); m != nil {
		t.Error("match must anchor at the start")
	}
	if m, _ := re.Search("abb"); m == nil || *m.Groups[0] != "bb" || m.Start != 1 || m.End != 3 {
		t.Errorf("search: %+v", m)
	}
	if m, _ := re.FullMatch("bbb"); m == nil {
		t.Error("fullmatch")
	}
	if m, _ := re.FullMatch("bbba"); m != nil {
		t.Error("fullmatch must cover the whole string")
	}
	all, _ := MustCompile(`(\d)(x)?`, 0).FindAll("1x2")
	if len(all) != 2 || all[1].Groups[2] != nil || *all[0].Groups[2] != "x" {
		t.Errorf("findall groups: %+v", all)
	}
}

func TestErrors(t *testing.T) {
	if _, err := Compile(`(`, 0); err == nil {
		t.Error("unbalanced paren must fail")
	}
	if _, err := MustCompile(`a`, 0).Sub(`\g<nope>`, "a", 0); err == nil {
		t.Error("unknown group must fail")
	}
	if _, err := MustCompile(`a`, 0).Sub(`\q`, "a", 0); err == nil {
		t.Error("bad escape must fail as in Python")
	}
}

func TestEscape(t *testing.T) {
	if got := Escape("a.b*c d_e-f"); got != `a\.b\*c\ d_e\-f` {
		t.Errorf("Escape = %s", got)
	}
}
