package template

// The syntax tree of a template. Expressions implement expr, statements node.

type expr interface{ exprNode() }

type (
	constExpr struct{ v any }
	nameExpr  struct {
		name string
		line int
	}
	getattrExpr struct {
		x    expr
		attr string
	}
	getitemExpr struct{ x, index expr }
	sliceExpr   struct{ x, lo, hi, step expr }
	callExpr    struct {
		fn expr
		args
	}
	filterExpr struct {
		x    expr // nil inside {% filter %} blocks
		name string
		args
	}
	testExpr struct {
		x      expr
		name   string
		negate bool
		args
	}
	binExpr struct {
		op   string
		l, r expr
	}
	unaryExpr struct {
		op string // "-", "+", "not"
		x  expr
	}
	compareExpr struct {
		x   expr
		ops []compareOp
	}
	condExpr  struct{ test, then, els expr }
	listExpr  struct{ items []expr }
	tupleExpr struct{ items []expr }
	dictExpr  struct{ keys, vals []expr }
)

type compareOp struct {
	op string // eq ne lt gt lteq gteq in notin
	x  expr
}

// args are the arguments of a call, filter or test.
type args struct {
	pos         []expr
	kwNames     []string
	kwVals      []expr
	star, dstar expr
}

func (constExpr) exprNode()   {}
func (nameExpr) exprNode()    {}
func (getattrExpr) exprNode() {}
func (getitemExpr) exprNode() {}
func (sliceExpr) exprNode()   {}
func (callExpr) exprNode()    {}
func (filterExpr) exprNode()  {}
func (testExpr) exprNode()    {}
func (binExpr) exprNode()     {}
func (unaryExpr) exprNode()   {}
func (compareExpr) exprNode() {}
func (condExpr) exprNode()    {}
func (listExpr) exprNode()    {}
func (tupleExpr) exprNode()   {}
func (dictExpr) exprNode()    {}

type node interface{ stmtNode() }

type (
	textNode   struct{ text string }
	outputNode struct {
		x    expr
		line int
	}
	ifNode struct {
		conds  []expr
		bodies [][]node
		els    []node
	}
	forNode struct {
		target    expr // nameExpr or tupleExpr of names
		iter      expr
		cond      expr
		body, els []node
		recursive bool
	}
	setNode struct {
		target expr
		x      expr
	}
	setBlockNode struct {
		target  expr
		filters []*filterExpr
		body    []node
	}
	macroNode struct {
		name     string
		params   []string
		defaults []expr // aligned to the end of params
		body     []node
	}
	callBlockNode struct {
		call   *callExpr
		params []string
		defs   []expr
		body   []node
	}
	includeNode struct {
		tmpl          expr
		ignoreMissing bool
		withContext   bool
	}
	importNode struct {
		tmpl        expr
		alias       string
		names       []string // from-import names
		aliases     []string
		withContext bool
	}
	withNode struct {
		targets []expr
		vals    []expr
		body    []node
	}
	filterBlockNode struct {
		filters []*filterExpr
		body    []node
	}
	// lineNode remembers where a statement starts, for error messages.
	lineNode struct {
		line int
		n    node
	}
	blockNode struct {
		name string
		body []node
	}
	// extendsNode is {% extends tmpl %}.
	extendsNode struct {
		tmpl expr
		line int
	}
)

func (textNode) stmtNode()        {}
func (outputNode) stmtNode()      {}
func (ifNode) stmtNode()          {}
func (forNode) stmtNode()         {}
func (setNode) stmtNode()         {}
func (setBlockNode) stmtNode()    {}
func (macroNode) stmtNode()       {}
func (callBlockNode) stmtNode()   {}
func (includeNode) stmtNode()     {}
func (importNode) stmtNode()      {}
func (withNode) stmtNode()        {}
func (filterBlockNode) stmtNode() {}
func (blockNode) stmtNode()       {}
func (extendsNode) stmtNode()     {}
func (lineNode) stmtNode()        {}
