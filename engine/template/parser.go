package template

import (
	"fmt"
	"slices"
)

// parser turns tokens into a syntax tree, following Jinja2's grammar.
type parser struct {
	toks []token
	i    int
}

// parse parses a whole template.
func parse(src string, syn syntax) ([]node, error) {
	toks, err := lex(src, syn)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	body, end, err := p.subparse(nil)
	if err != nil {
		return nil, err
	}
	if end != "" {
		return nil, p.failf("Encountered unknown tag '%s'.", end)
	}
	return body, nil
}

// parseExpression parses a bare expression (for conditionals and Expr).
func parseExpression(src string) (expr, error) {
	toks, err := lex("{{"+src+"\n}}", defaultSyntax())
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	p.expectType(tVarBegin)
	x, err := p.parseTuple(false, true)
	if err != nil {
		return nil, err
	}
	if p.cur().typ != tVarEnd {
		return nil, p.failf("expected token 'end of print statement', got %s", p.cur())
	}
	p.next()
	if p.cur().typ != tEOF {
		return nil, p.failf("unexpected '}'")
	}
	return x, nil
}

func (p *parser) cur() token  { return p.toks[p.i] }
func (p *parser) peek() token { return p.toks[min(p.i+1, len(p.toks)-1)] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) failf(format string, a ...any) error {
	return &TemplateSyntaxError{Msg: fmt.Sprintf(format, a...), Line: p.cur().line}
}

func (p *parser) isOp(op string) bool { t := p.cur(); return t.typ == tOp && t.val == op }
func (p *parser) isName(n string) bool {
	t := p.cur()
	return t.typ == tName && t.val == n
}
func (p *parser) skipOp(op string) bool {
	if p.isOp(op) {
		p.next()
		return true
	}
	return false
}
func (p *parser) skipName(n string) bool {
	if p.isName(n) {
		p.next()
		return true
	}
	return false
}
func (p *parser) expectOp(op string) error {
	if !p.skipOp(op) {
		return p.failf("expected token '%s', got %s", op, p.cur())
	}
	return nil
}
func (p *parser) expectType(t tokenType) (token, error) {
	if p.cur().typ != t {
		what := map[tokenType]string{tName: "name", tBlockEnd: "end of statement block", tVarEnd: "end of print statement", tString: "string"}[t]
		return token{}, p.failf("expected token '%s', got %s", what, p.cur())
	}
	return p.next(), nil
}
func (p *parser) expectName() (string, error) {
	t, err := p.expectType(tName)
	return t.val, err
}

// subparse parses nodes until one of the end tags; it returns the tag found.
func (p *parser) subparse(endTags []string) ([]node, string, error) {
	var body []node
	for {
		t := p.cur()
		switch t.typ {
		case tEOF:
			if endTags != nil {
				return nil, "", p.failf("Unexpected end of template. Jinja was looking for the following tags: %s.", quoteTags(endTags))
			}
			return body, "", nil
		case tData:
			p.next()
			body = append(body, &textNode{text: t.val})
		case tVarBegin:
			p.next()
			x, err := p.parseTuple(false, true)
			if err != nil {
				return nil, "", err
			}
			if _, err := p.expectType(tVarEnd); err != nil {
				return nil, "", err
			}
			body = append(body, &outputNode{x: x, line: t.line})
		case tBlockBegin:
			p.next()
			if p.cur().typ == tName && slices.Contains(endTags, p.cur().val) {
				return body, p.next().val, nil
			}
			n, err := p.parseStatement()
			if err != nil {
				return nil, "", err
			}
			if n != nil {
				body = append(body, &lineNode{line: t.line, n: n})
			}
		default:
			return nil, "", p.failf("unexpected %s", t)
		}
	}
}

func quoteTags(tags []string) string {
	s := ""
	for i, t := range tags {
		if i > 0 {
			s += " or "
		}
		s += "'" + t + "'"
	}
	return s
}

func (p *parser) endBlock() error {
	_, err := p.expectType(tBlockEnd)
	return err
}

func (p *parser) parseStatement() (node, error) {
	name, err := p.expectName()
	if err != nil {
		return nil, p.failf("tag name expected")
	}
	switch name {
	case "if":
		return p.parseIf()
	case "for":
		return p.parseFor()
	case "set":
		return p.parseSet()
	case "macro":
		return p.parseMacro()
	case "call":
		return p.parseCallBlock()
	case "include":
		return p.parseInclude()
	case "import":
		return p.parseImport()
	case "from":
		return p.parseFrom()
	case "with":
		return p.parseWith()
	case "filter":
		return p.parseFilterBlock()
	case "block":
		return p.parseBlock()
	case "extends":
		line := p.cur().line
		x, err := p.parseExpr(true)
		if err != nil {
			return nil, err
		}
		return &extendsNode{tmpl: x, line: line}, p.endBlock()
	}
	return nil, p.failf("Encountered unknown tag '%s'.", name)
}

func (p *parser) parseIf() (node, error) {
	n := &ifNode{}
	for {
		cond, err := p.parseTuple(false, true)
		if err != nil {
			return nil, err
		}
		if err := p.endBlock(); err != nil {
			return nil, err
		}
		body, tag, err := p.subparse([]string{"elif", "else", "endif"})
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, cond)
		n.bodies = append(n.bodies, body)
		switch tag {
		case "elif":
			continue
		case "else":
			if err := p.endBlock(); err != nil {
				return nil, err
			}
			n.els, _, err = p.subparse([]string{"endif"})
			if err != nil {
				return nil, err
			}
		}
		return n, p.endBlock()
	}
}

func (p *parser) parseAssignTarget() (expr, error) {
	var items []expr
	for {
		if len(items) > 0 && !p.skipOp(",") {
			break
		}
		if p.isName("in") || p.isOp("=") || p.cur().typ == tBlockEnd {
			break
		}
		name, err := p.expectName()
		if err != nil {
			return nil, err
		}
		var x expr = &nameExpr{name: name}
		if p.isOp(".") && p.peek().typ == tName {
			p.next()
			attr := p.next().val
			x = &getattrExpr{x: x, attr: attr}
		}
		items = append(items, x)
		if !p.isOp(",") {
			break
		}
	}
	if len(items) == 1 {
		return items[0], nil
	}
	return &tupleExpr{items: items}, nil
}

func (p *parser) parseFor() (node, error) {
	target, err := p.parseAssignTarget()
	if err != nil {
		return nil, err
	}
	if !p.skipName("in") {
		return nil, p.failf("expected token 'in', got %s", p.cur())
	}
	iter, err := p.parseTuple(false, false)
	if err != nil {
		return nil, err
	}
	n := &forNode{target: target, iter: iter}
	if p.skipName("if") {
		if n.cond, err = p.parseExpr(true); err != nil {
			return nil, err
		}
	}
	n.recursive = p.skipName("recursive")
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	body, tag, err := p.subparse([]string{"endfor", "else"})
	if err != nil {
		return nil, err
	}
	n.body = body
	if tag == "else" {
		if err := p.endBlock(); err != nil {
			return nil, err
		}
		if n.els, _, err = p.subparse([]string{"endfor"}); err != nil {
			return nil, err
		}
	}
	return n, p.endBlock()
}

func (p *parser) parseSet() (node, error) {
	target, err := p.parseAssignTarget()
	if err != nil {
		return nil, err
	}
	if p.skipOp("=") {
		x, err := p.parseTuple(false, true)
		if err != nil {
			return nil, err
		}
		return &setNode{target: target, x: x}, p.endBlock()
	}
	n := &setBlockNode{target: target}
	for p.skipOp("|") {
		f, err := p.parseFilterCall(nil)
		if err != nil {
			return nil, err
		}
		n.filters = append(n.filters, f)
	}
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	if n.body, _, err = p.subparse([]string{"endset"}); err != nil {
		return nil, err
	}
	return n, p.endBlock()
}

func (p *parser) parseSignature() ([]string, []expr, error) {
	var params []string
	var defs []expr
	if err := p.expectOp("("); err != nil {
		return nil, nil, err
	}
	for !p.isOp(")") {
		if len(params) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, nil, err
			}
			if p.isOp(")") {
				break
			}
		}
		name, err := p.expectName()
		if err != nil {
			return nil, nil, err
		}
		if p.skipOp("=") {
			d, err := p.parseExpr(true)
			if err != nil {
				return nil, nil, err
			}
			defs = append(defs, d)
		} else if len(defs) > 0 {
			return nil, nil, p.failf("non-default argument follows default argument")
		}
		params = append(params, name)
	}
	p.next()
	return params, defs, nil
}

func (p *parser) parseMacro() (node, error) {
	name, err := p.expectName()
	if err != nil {
		return nil, err
	}
	params, defs, err := p.parseSignature()
	if err != nil {
		return nil, err
	}
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	body, _, err := p.subparse([]string{"endmacro"})
	if err != nil {
		return nil, err
	}
	p.skipName(name)
	return &macroNode{name: name, params: params, defaults: defs, body: body}, p.endBlock()
}

func (p *parser) parseCallBlock() (node, error) {
	n := &callBlockNode{}
	var err error
	if p.isOp("(") {
		if n.params, n.defs, err = p.parseSignature(); err != nil {
			return nil, err
		}
	}
	x, err := p.parseExpr(true)
	if err != nil {
		return nil, err
	}
	call, ok := x.(*callExpr)
	if !ok {
		return nil, p.failf("expected call")
	}
	n.call = call
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	if n.body, _, err = p.subparse([]string{"endcall"}); err != nil {
		return nil, err
	}
	return n, p.endBlock()
}

func (p *parser) parseContextFlag(def bool) bool {
	if (p.isName("with") || p.isName("without")) && p.peek().typ == tName && p.peek().val == "context" {
		with := p.next().val == "with"
		p.next()
		return with
	}
	return def
}

func (p *parser) parseInclude() (node, error) {
	x, err := p.parseTuple(false, true)
	if err != nil {
		return nil, err
	}
	n := &includeNode{tmpl: x, withContext: true}
	if p.isName("ignore") && p.peek().typ == tName && p.peek().val == "missing" {
		p.next()
		p.next()
		n.ignoreMissing = true
	}
	n.withContext = p.parseContextFlag(true)
	return n, p.endBlock()
}

func (p *parser) parseImport() (node, error) {
	x, err := p.parseExpr(true)
	if err != nil {
		return nil, err
	}
	if !p.skipName("as") {
		return nil, p.failf("expected token 'as', got %s", p.cur())
	}
	alias, err := p.expectName()
	if err != nil {
		return nil, err
	}
	n := &importNode{tmpl: x, alias: alias}
	n.withContext = p.parseContextFlag(false)
	return n, p.endBlock()
}

func (p *parser) parseFrom() (node, error) {
	x, err := p.parseExpr(true)
	if err != nil {
		return nil, err
	}
	if !p.skipName("import") {
		return nil, p.failf("expected token 'import', got %s", p.cur())
	}
	n := &importNode{tmpl: x}
	for {
		if len(n.names) > 0 && !p.skipOp(",") {
			break
		}
		if p.isName("with") || p.isName("without") || p.cur().typ == tBlockEnd {
			break
		}
		name, err := p.expectName()
		if err != nil {
			return nil, err
		}
		alias := name
		if p.skipName("as") {
			if alias, err = p.expectName(); err != nil {
				return nil, err
			}
		}
		n.names = append(n.names, name)
		n.aliases = append(n.aliases, alias)
	}
	n.withContext = p.parseContextFlag(false)
	return n, p.endBlock()
}

func (p *parser) parseWith() (node, error) {
	n := &withNode{}
	for p.cur().typ != tBlockEnd {
		if len(n.targets) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
		}
		t, err := p.parseAssignTarget()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		v, err := p.parseExpr(true)
		if err != nil {
			return nil, err
		}
		n.targets = append(n.targets, t)
		n.vals = append(n.vals, v)
	}
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	var err error
	if n.body, _, err = p.subparse([]string{"endwith"}); err != nil {
		return nil, err
	}
	return n, p.endBlock()
}

func (p *parser) parseFilterBlock() (node, error) {
	n := &filterBlockNode{}
	for {
		f, err := p.parseFilterCall(nil)
		if err != nil {
			return nil, err
		}
		n.filters = append(n.filters, f)
		if !p.skipOp("|") {
			break
		}
	}
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	var err error
	if n.body, _, err = p.subparse([]string{"endfilter"}); err != nil {
		return nil, err
	}
	return n, p.endBlock()
}

func (p *parser) parseBlock() (node, error) {
	name, err := p.expectName()
	if err != nil {
		return nil, err
	}
	p.skipName("scoped")
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	body, _, err := p.subparse([]string{"endblock"})
	if err != nil {
		return nil, err
	}
	p.skipName(name)
	return &blockNode{name: name, body: body}, p.endBlock()
}

// parseTuple parses an expression or an unparenthesized tuple (a, b).
func (p *parser) parseTuple(simplified, withCond bool) (expr, error) {
	var items []expr
	isTuple := false
	for {
		if len(items) > 0 {
			if !p.skipOp(",") {
				break
			}
			isTuple = true
		}
		if p.atTupleEnd() {
			break
		}
		var x expr
		var err error
		if simplified {
			x, err = p.parsePrimaryPostfix()
		} else {
			x, err = p.parseExpr(withCond)
		}
		if err != nil {
			return nil, err
		}
		items = append(items, x)
	}
	if !isTuple {
		if len(items) == 0 {
			return nil, p.failf("Expected an expression, got %s", p.cur())
		}
		return items[0], nil
	}
	return &tupleExpr{items: items}, nil
}

func (p *parser) atTupleEnd() bool {
	t := p.cur()
	switch t.typ {
	case tVarEnd, tBlockEnd, tEOF:
		return true
	case tOp:
		return t.val == ")" || t.val == "]" || t.val == "}" || t.val == "="
	case tName:
		return t.val == "in" || t.val == "if" || t.val == "recursive"
	}
	return false
}

func (p *parser) parseExpr(withCond bool) (expr, error) {
	if !withCond {
		return p.parseOr()
	}
	x, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	for p.skipName("if") {
		test, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		var els expr
		if p.skipName("else") {
			if els, err = p.parseExpr(true); err != nil {
				return nil, err
			}
		}
		x = &condExpr{test: test, then: x, els: els}
	}
	return x, nil
}

func (p *parser) parseOr() (expr, error) {
	l, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.skipName("or") {
		r, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: "or", l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseAnd() (expr, error) {
	l, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.skipName("and") {
		r, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: "and", l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseNot() (expr, error) {
	if p.skipName("not") {
		x, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{op: "not", x: x}, nil
	}
	return p.parseCompare()
}

var compareOps = map[string]string{"==": "eq", "!=": "ne", "<": "lt", ">": "gt", "<=": "lteq", ">=": "gteq"}

func (p *parser) parseCompare() (expr, error) {
	x, err := p.parseMath1()
	if err != nil {
		return nil, err
	}
	var ops []compareOp
	for {
		var op string
		t := p.cur()
		switch {
		case t.typ == tOp && compareOps[t.val] != "":
			op = compareOps[t.val]
			p.next()
		case p.isName("in"):
			op = "in"
			p.next()
		case p.isName("not") && p.peek().typ == tName && p.peek().val == "in":
			op = "notin"
			p.next()
			p.next()
		}
		if op == "" {
			break
		}
		r, err := p.parseMath1()
		if err != nil {
			return nil, err
		}
		ops = append(ops, compareOp{op: op, x: r})
	}
	if len(ops) == 0 {
		return x, nil
	}
	return &compareExpr{x: x, ops: ops}, nil
}

func (p *parser) parseMath1() (expr, error) {
	l, err := p.parseConcat()
	if err != nil {
		return nil, err
	}
	for p.isOp("+") || p.isOp("-") {
		op := p.next().val
		r, err := p.parseConcat()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseConcat() (expr, error) {
	l, err := p.parseMath2()
	if err != nil {
		return nil, err
	}
	for p.skipOp("~") {
		r, err := p.parseMath2()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: "~", l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseMath2() (expr, error) {
	l, err := p.parsePow()
	if err != nil {
		return nil, err
	}
	for p.isOp("*") || p.isOp("/") || p.isOp("//") || p.isOp("%") {
		op := p.next().val
		r, err := p.parsePow()
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *parser) parsePow() (expr, error) {
	l, err := p.parseUnary(true)
	if err != nil {
		return nil, err
	}
	for p.skipOp("**") {
		r, err := p.parseUnary(true)
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: "**", l: l, r: r}
	}
	return l, nil
}

func (p *parser) parseUnary(withFilter bool) (expr, error) {
	var x expr
	var err error
	switch {
	case p.isOp("-") || p.isOp("+"):
		op := p.next().val
		inner, err := p.parseUnary(false)
		if err != nil {
			return nil, err
		}
		x = &unaryExpr{op: op, x: inner}
	default:
		if x, err = p.parsePrimary(); err != nil {
			return nil, err
		}
	}
	if x, err = p.parsePostfix(x); err != nil {
		return nil, err
	}
	if withFilter {
		return p.parseFilterExpr(x)
	}
	return x, nil
}

func (p *parser) parsePrimaryPostfix() (expr, error) {
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	return p.parsePostfix(x)
}

func (p *parser) parsePrimary() (expr, error) {
	t := p.cur()
	switch t.typ {
	case tName:
		p.next()
		switch t.val {
		case "true", "True":
			return &constExpr{v: true}, nil
		case "false", "False":
			return &constExpr{v: false}, nil
		case "none", "None":
			return &constExpr{v: nil}, nil
		}
		return &nameExpr{name: t.val, line: t.line}, nil
	case tString:
		s := p.next().val
		for p.cur().typ == tString {
			s += p.next().val
		}
		return &constExpr{v: s}, nil
	case tInt, tFloat:
		p.next()
		return &constExpr{v: t.num}, nil
	case tOp:
		switch t.val {
		case "(":
			p.next()
			if p.skipOp(")") {
				return &tupleExpr{}, nil
			}
			x, err := p.parseTuple(false, true)
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			if tu, ok := x.(*tupleExpr); ok {
				return tu, nil
			}
			return x, nil
		case "[":
			p.next()
			l := &listExpr{}
			for !p.isOp("]") {
				if len(l.items) > 0 {
					if err := p.expectOp(","); err != nil {
						return nil, err
					}
					if p.isOp("]") {
						break
					}
				}
				x, err := p.parseExpr(true)
				if err != nil {
					return nil, err
				}
				l.items = append(l.items, x)
			}
			p.next()
			return l, nil
		case "{":
			p.next()
			d := &dictExpr{}
			for !p.isOp("}") {
				if len(d.keys) > 0 {
					if err := p.expectOp(","); err != nil {
						return nil, err
					}
					if p.isOp("}") {
						break
					}
				}
				k, err := p.parseExpr(true)
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(":"); err != nil {
					return nil, err
				}
				v, err := p.parseExpr(true)
				if err != nil {
					return nil, err
				}
				d.keys = append(d.keys, k)
				d.vals = append(d.vals, v)
			}
			p.next()
			return d, nil
		}
	}
	return nil, p.failf("unexpected %s", t)
}

func (p *parser) parsePostfix(x expr) (expr, error) {
	for {
		switch {
		case p.isOp(".") || p.isOp("["):
			var err error
			if x, err = p.parseSubscript(x); err != nil {
				return nil, err
			}
		case p.isOp("("):
			a, err := p.parseCallArgs()
			if err != nil {
				return nil, err
			}
			x = &callExpr{fn: x, args: a}
		default:
			return x, nil
		}
	}
}

func (p *parser) parseFilterExpr(x expr) (expr, error) {
	for {
		switch {
		case p.isOp("|"):
			p.next()
			f, err := p.parseFilterCall(x)
			if err != nil {
				return nil, err
			}
			x = f
		case p.isName("is"):
			p.next()
			var err error
			if x, err = p.parseTest(x); err != nil {
				return nil, err
			}
		case p.isOp("("):
			a, err := p.parseCallArgs()
			if err != nil {
				return nil, err
			}
			x = &callExpr{fn: x, args: a}
		default:
			return x, nil
		}
	}
}

func (p *parser) parseSubscript(x expr) (expr, error) {
	t := p.next()
	if t.val == "." {
		a := p.cur()
		switch a.typ {
		case tName:
			p.next()
			return &getattrExpr{x: x, attr: a.val}, nil
		case tInt:
			p.next()
			return &getitemExpr{x: x, index: &constExpr{v: a.num}}, nil
		}
		return nil, p.failf("expected name or number")
	}
	var items []expr
	for !p.isOp("]") {
		if len(items) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
			if p.isOp("]") {
				break
			}
		}
		it, err := p.parseSubscribed()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	p.next()
	if len(items) == 1 {
		if s, ok := items[0].(*sliceExpr); ok {
			s.x = x
			return s, nil
		}
		return &getitemExpr{x: x, index: items[0]}, nil
	}
	return &getitemExpr{x: x, index: &tupleExpr{items: items}}, nil
}

func (p *parser) parseSubscribed() (expr, error) {
	var parts [3]expr
	var err error
	if !p.isOp(":") {
		if parts[0], err = p.parseExpr(true); err != nil {
			return nil, err
		}
		if !p.isOp(":") {
			return parts[0], nil
		}
	}
	p.next()
	if !p.isOp("]") && !p.isOp(",") && !p.isOp(":") {
		if parts[1], err = p.parseExpr(true); err != nil {
			return nil, err
		}
	}
	if p.skipOp(":") {
		if !p.isOp("]") && !p.isOp(",") {
			if parts[2], err = p.parseExpr(true); err != nil {
				return nil, err
			}
		}
	}
	return &sliceExpr{lo: parts[0], hi: parts[1], step: parts[2]}, nil
}

func (p *parser) parseCallArgs() (args, error) {
	var a args
	if err := p.expectOp("("); err != nil {
		return a, err
	}
	first := true
	for !p.isOp(")") {
		if !first {
			if err := p.expectOp(","); err != nil {
				return a, err
			}
			if p.isOp(")") {
				break
			}
		}
		first = false
		switch {
		case p.skipOp("**"):
			x, err := p.parseExpr(true)
			if err != nil {
				return a, err
			}
			a.dstar = x
		case p.skipOp("*"):
			x, err := p.parseExpr(true)
			if err != nil {
				return a, err
			}
			a.star = x
		case p.cur().typ == tName && p.peek().typ == tOp && p.peek().val == "=":
			name := p.next().val
			p.next()
			x, err := p.parseExpr(true)
			if err != nil {
				return a, err
			}
			a.kwNames = append(a.kwNames, name)
			a.kwVals = append(a.kwVals, x)
		default:
			if len(a.kwNames) > 0 {
				return a, p.failf("invalid syntax for function call expression")
			}
			x, err := p.parseExpr(true)
			if err != nil {
				return a, err
			}
			a.pos = append(a.pos, x)
		}
	}
	p.next()
	return a, nil
}

func (p *parser) dottedName() (string, error) {
	name, err := p.expectName()
	if err != nil {
		return "", err
	}
	for p.isOp(".") && p.peek().typ == tName {
		p.next()
		name += "." + p.next().val
	}
	return name, nil
}

func (p *parser) parseFilterCall(x expr) (*filterExpr, error) {
	name, err := p.dottedName()
	if err != nil {
		return nil, err
	}
	if filterName(name) == "" {
		return nil, p.failf("Could not load \"%s\": '%s'", name, name)
	}
	f := &filterExpr{x: x, name: name}
	if p.isOp("(") {
		if f.args, err = p.parseCallArgs(); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (p *parser) parseTest(x expr) (expr, error) {
	negate := p.skipName("not")
	name, err := p.dottedName()
	if err != nil {
		return nil, err
	}
	if testName(name) == "" {
		return nil, p.failf("Could not load \"%s\": '%s'", name, name)
	}
	t := &testExpr{x: x, name: name, negate: negate}
	c := p.cur()
	switch {
	case p.isOp("("):
		if t.args, err = p.parseCallArgs(); err != nil {
			return nil, err
		}
	case (c.typ == tName || c.typ == tString || c.typ == tInt || c.typ == tFloat || p.isOp("[") || p.isOp("{")) &&
		!p.isName("else") && !p.isName("or") && !p.isName("and"):
		if p.isName("is") {
			return nil, p.failf("You cannot chain multiple tests with is")
		}
		arg, err := p.parsePrimaryPostfix()
		if err != nil {
			return nil, err
		}
		t.pos = []expr{arg}
	}
	return t, nil
}
