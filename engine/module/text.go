package module

import (
	"fmt"
	"gorun/engine/pytext"
	"sort"
	"strings"
)

// Text renders a module's documentation the way `ansible-doc MODULE` lays it out.
func (d *Doc) Text() string {
	var b strings.Builder
	fqcn := d.Name
	if len(d.Names) > 0 {
		fqcn = d.Names[0]
	}
	fmt.Fprintf(&b, "> %s    (built into gorun)\n\n", strings.ToUpper(fqcn))
	for _, p := range d.Description {
		b.WriteString(wrap(p, 8, 70))
		b.WriteString("\n")
	}
	b.WriteString("\nOPTIONS (= is mandatory):\n")
	opts := append([]Option(nil), d.Options...)
	sort.Slice(opts, func(i, j int) bool { return opts[i].Name < opts[j].Name })
	if d.FreeForm {
		b.WriteString("\n= free_form\n        The module takes a free form command to run (_raw_params).\n        type: str\n")
	}
	for _, o := range opts {
		writeOption(&b, o, "")
	}
	if len(d.MutuallyExclusive) > 0 || len(d.RequiredTogether) > 0 || len(d.RequiredOneOf) > 0 {
		b.WriteString("\nOPTION CONSTRAINTS:\n")
		for _, s := range d.MutuallyExclusive {
			fmt.Fprintf(&b, "        mutually exclusive: %s\n", strings.Join(s, ", "))
		}
		for _, s := range d.RequiredTogether {
			fmt.Fprintf(&b, "        required together: %s\n", strings.Join(s, ", "))
		}
		for _, s := range d.RequiredOneOf {
			fmt.Fprintf(&b, "        required one of: %s\n", strings.Join(s, ", "))
		}
	}
	b.WriteString("\nATTRIBUTES:\n\n")
	fmt.Fprintf(&b, "        check_mode:\n          support: %s\n", orNone(d.Check))
	fmt.Fprintf(&b, "        diff_mode:\n          support: %s\n", orNone(d.Diff))
	if d.Controller {
		b.WriteString("        runs on: the controller (no connection to the host)\n")
	}
	if len(d.Notes) > 0 {
		b.WriteString("\nNOTES:\n")
		for _, n := range d.Notes {
			b.WriteString(wrap("* "+n, 6, 70))
		}
	}
	if len(d.Names) > 1 {
		fmt.Fprintf(&b, "\nALSO CALLED: %s\n", strings.Join(d.Names[1:], ", "))
	}
	if d.Examples != "" {
		b.WriteString("\nEXAMPLES:\n\n")
		b.WriteString(strings.TrimRight(d.Examples, "\n"))
		b.WriteString("\n")
	}
	if len(d.Returns) > 0 {
		b.WriteString("\nRETURN VALUES:\n")
		for _, r := range d.Returns {
			fmt.Fprintf(&b, "\n- %s\n", r.Name)
			b.WriteString(wrap(r.Description, 8, 70))
			if r.Returned != "" {
				fmt.Fprintf(&b, "        returned: %s\n", r.Returned)
			}
			if r.Type != "" {
				fmt.Fprintf(&b, "        type: %s\n", r.Type)
			}
			if r.Sample != nil {
				fmt.Fprintf(&b, "        sample: %v\n", pytext.Repr(r.Sample))
			}
		}
	}
	return b.String()
}

func writeOption(b *strings.Builder, o Option, indent string) {
	mark := "-"
	if o.Required {
		mark = "="
	}
	fmt.Fprintf(b, "\n%s%s %s\n", indent, mark, o.Name)
	b.WriteString(wrap(o.Description, 8+len(indent), 70))
	pad := indent + "        "
	if len(o.Aliases) > 0 {
		fmt.Fprintf(b, "%saliases: [%s]\n", pad, strings.Join(o.Aliases, ", "))
	}
	if len(o.Choices) > 0 {
		var cs []string
		for _, c := range o.Choices {
			cs = append(cs, pytext.Str(c))
		}
		fmt.Fprintf(b, "%schoices: [%s]\n", pad, strings.Join(cs, ", "))
	}
	if !o.Required {
		fmt.Fprintf(b, "%sdefault: %s\n", pad, defaultText(o.Default))
	}
	if o.Elements != "" {
		fmt.Fprintf(b, "%selements: %s\n", pad, o.Elements)
	}
	typ := o.Type
	if typ == "" {
		typ = "str"
	}
	fmt.Fprintf(b, "%stype: %s\n", pad, typ)
	for _, s := range o.Suboptions {
		writeOption(b, s, indent+"    ")
	}
}

func defaultText(v any) string {
	if v == nil {
		return "null"
	}
	switch t := v.(type) {
	case bool:
		if t {
			return "true"
		}
		return "false"
	}
	return pytext.Repr(v)
}

func orNone(s Support) Support {
	if s == "" {
		return None
	}
	return s
}

// wrap fills text to width, indented.
func wrap(text string, indent, width int) string {
	if text == "" {
		return ""
	}
	pad := strings.Repeat(" ", indent)
	var b strings.Builder
	line := pad
	for _, w := range strings.Fields(text) {
		if len(line) > indent && len(line)+1+len(w) > indent+width {
			b.WriteString(line + "\n")
			line = pad
		}
		if len(line) > indent {
			line += " "
		}
		line += w
	}
	if len(line) > indent {
		b.WriteString(line + "\n")
	}
	return b.String()
}
