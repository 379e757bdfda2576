package virt

import (
	"encoding/xml"
	"strings"
)

// node is a parsed XML element.
type node struct {
	name     string
	attrs    map[string]string
	text     string
	children []*node
}

// parseXML reads an XML document into a tree; nil when it does not parse.
func parseXML(s string) *node {
	dec := xml.NewDecoder(strings.NewReader(s))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err != nil {
			return root
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
}

// xmlSubset reports whether everything the wanted XML says is also in the
// current XML: each element of wanted matches, in order, a same-named element
// of current with the same attributes and text (current may have more, as
// libvirt fills in defaults). Check mode uses it to predict whether defining
// wanted would change the current definition, without defining it.
func xmlSubset(wanted, current string) bool {
	w, c := parseXML(wanted), parseXML(current)
	if w == nil || c == nil {
		return false
	}
	return subset(w, c)
}

func subset(w, c *node) bool {
	if w.name != c.name || strings.TrimSpace(w.text) != strings.TrimSpace(c.text) {
		return false
	}
	for k, v := range w.attrs {
		if c.attrs[k] != v && !(w.name == "type" && k == "machine" && machineAlias(v, c.attrs[k])) {
			return false
		}
	}
	i := 0
	for _, wc := range w.children {
		for i < len(c.children) && !subset(wc, c.children[i]) {
			i++
		}
		if i == len(c.children) {
			return false
		}
		i++
	}
	return true
}

// machineAlias reports whether QEMU's machine type alias (q35, pc) names
// the versioned machine libvirt records (pc-q35-7.2, pc-i440fx-7.2).
func machineAlias(alias, versioned string) bool {
	switch alias {
	case "q35":
		return strings.HasPrefix(versioned, "pc-q35-")
	case "pc":
		return strings.HasPrefix(versioned, "pc-i440fx-")
	}
	return false
}
