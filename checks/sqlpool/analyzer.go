package sqlpool

import (
	"fmt"
	"go/ast"
	"go/types"
	"reflect"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer reports *sql.DB pools from sql.Open or sql.OpenDB that are not
// given SetMaxOpenConns, SetMaxIdleConns and SetConnMaxLifetime in the
// package that opens them. Its result is a *Result.
var Analyzer = &analysis.Analyzer{
	Name: "sqlpool",
	Doc: "report *sql.DB pools opened without limits\n\n" +
		"Every *sql.DB from sql.Open or sql.OpenDB must be given SetMaxOpenConns, " +
		"SetMaxIdleConns and SetConnMaxLifetime in the package that opens it: " +
		"database/sql's defaults are unlimited open connections, 2 idle ones, " +
		"and connections kept forever.",
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	Run:        run,
	ResultType: reflect.TypeFor[*Result](),
}

// A Result is what Analyzer found in one package besides its diagnostics.
type Result struct {
	Opens int // calls of sql.Open and sql.OpenDB
}

const sqlPath = "database/sql"

// The setters, as bits of a mask.
const (
	maxOpen = 1 << iota
	maxIdle
	maxLifetime
	allSetters = maxOpen | maxIdle | maxLifetime
)

var setterBits = map[string]uint8{
	"SetMaxOpenConns":    maxOpen,
	"SetMaxIdleConns":    maxIdle,
	"SetConnMaxLifetime": maxLifetime,
}

// setterNames lists the setters in the order messages name them.
var setterNames = []string{"SetMaxOpenConns", "SetMaxIdleConns", "SetConnMaxLifetime"}

const defaults = "database/sql defaults: unlimited open connections, 2 idle, connections kept forever"

// maxEscapes is how many places a message names where the pool went.
const maxEscapes = 3

func run(pass *analysis.Pass) (any, error) {
	if !slices.ContainsFunc(pass.Pkg.Imports(), func(p *types.Package) bool { return p.Path() == sqlPath }) {
		return &Result{}, nil // no Open call can be here
	}
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	var opens []inspector.Cursor
	for cur := range root.Preorder((*ast.CallExpr)(nil)) {
		if openName(pass.TypesInfo, cur.Node().(*ast.CallExpr)) != "" {
			opens = append(opens, cur)
		}
	}
	if len(opens) == 0 {
		return &Result{}, nil
	}
	idx := buildIndex(pass, root)
	for _, cur := range opens {
		call := cur.Node().(*ast.CallExpr)
		name := openName(pass.TypesInfo, call)
		t := &tracker{pass: pass, idx: idx, holders: map[types.Object]bool{}, returns: map[returnKey]bool{}}
		tuple := -1
		if name == "Open" {
			tuple = 0 // Open returns (*DB, error); OpenDB returns *DB
		}
		t.push(cur, tuple)
		t.drain()
		if t.set&allSetters == allSetters {
			continue
		}
		pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: "sql-pool",
			Message: message("sql."+name, t.set, t.escapes)})
	}
	return &Result{Opens: len(opens)}, nil
}

// message says what the pool from open lacks, and where it went when it
// left the package.
func message(open string, set uint8, escapes []string) string {
	var missing []string
	for _, name := range setterNames {
		if set&setterBits[name] == 0 {
			missing = append(missing, name)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*sql.DB from %s is never given %s", open, strings.Join(missing, ", "))
	if len(escapes) == 0 {
		fmt.Fprintf(&b, ": configure the pool (%s)", defaults)
		return b.String()
	}
	b.WriteString(" in this package (it is ")
	switch went := escapes[:min(len(escapes), maxEscapes)]; {
	case len(escapes) > maxEscapes:
		fmt.Fprintf(&b, "%s and %d more places", strings.Join(went, ", "), len(escapes)-maxEscapes)
	case len(went) > 1:
		b.WriteString(strings.Join(went[:len(went)-1], ", ") + " and " + went[len(went)-1])
	default:
		b.WriteString(went[0])
	}
	fmt.Fprintf(&b, "; setters called elsewhere are not seen): configure the pool where it is opened (%s)", defaults)
	return b.String()
}

// openName returns "Open" or "OpenDB" when call calls that function of
// database/sql, and "" otherwise.
func openName(info *types.Info, call *ast.CallExpr) string {
	fn := typeutil.StaticCallee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != sqlPath || fn.Signature().Recv() != nil {
		return ""
	}
	if n := fn.Name(); n == "Open" || n == "OpenDB" {
		return n
	}
	return ""
}

// isDB reports whether t is *sql.DB.
func isDB(t types.Type) bool {
	ptr, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok {
		return false
	}
	obj := named.Obj()
	return obj.Name() == "DB" && obj.Pkg() != nil && obj.Pkg().Path() == sqlPath
}

// returnsDB reports whether t is a function type with a *sql.DB result.
func returnsDB(t types.Type) bool {
	sig, ok := types.Unalias(t).Underlying().(*types.Signature)
	if !ok {
		return false
	}
	for v := range sig.Results().Variables() {
		if isDB(v.Type()) {
			return true
		}
	}
	return false
}

// setter returns the bit of obj when it is one of the pool setters of
// *sql.DB.
func setter(obj types.Object) uint8 {
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != sqlPath {
		return 0
	}
	recv := fn.Signature().Recv()
	if recv == nil || !isDB(recv.Type()) {
		return 0
	}
	return setterBits[fn.Name()]
}

// origin maps the objects of instantiated generic types and functions
// back to the declared ones, so that every use of one meets.
func origin(obj types.Object) types.Object {
	switch o := obj.(type) {
	case *types.Var:
		return o.Origin()
	case *types.Func:
		return o.Origin()
	}
	return obj
}

// An index holds what the trackers of one package look up.
type index struct {
	// uses maps variables of type *sql.DB, and functions and variables
	// of function types that return one, to the expressions that use
	// them (an identifier, or the selector whose Sel it is).
	uses map[types.Object][]inspector.Cursor
	// decls maps the package's functions and methods with a body to
	// their declarations.
	decls map[*types.Func]inspector.Cursor
	// results maps named results to their function and position.
	results map[*types.Var]result
	// embedded maps embedded *sql.DB fields to the setters called as
	// promoted methods through them.
	embedded map[types.Object]uint8
}

type result struct {
	fn  inspector.Cursor // *ast.FuncDecl or *ast.FuncLit
	pos int
}

func buildIndex(pass *analysis.Pass, root inspector.Cursor) *index {
	info := pass.TypesInfo
	idx := &index{
		uses:     map[types.Object][]inspector.Cursor{},
		decls:    map[*types.Func]inspector.Cursor{},
		results:  map[*types.Var]result{},
		embedded: map[types.Object]uint8{},
	}
	nodes := []ast.Node{(*ast.Ident)(nil), (*ast.SelectorExpr)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)}
	for cur := range root.Preorder(nodes...) {
		switch n := cur.Node().(type) {
		case *ast.Ident:
			obj := info.Uses[n]
			if obj == nil {
				continue
			}
			obj = origin(obj)
			switch obj.(type) {
			case *types.Var, *types.Func:
			default:
				continue
			}
			if !isDB(obj.Type()) && !returnsDB(obj.Type()) {
				continue
			}
			use := cur
			if cur.ParentEdgeKind() == edge.SelectorExpr_Sel {
				use = cur.Parent()
			}
			idx.uses[obj] = append(idx.uses[obj], use)
		case *ast.SelectorExpr:
			sel := info.Selections[n]
			if sel == nil || sel.Kind() != types.MethodVal || len(sel.Index()) < 2 {
				continue
			}
			if bit := setter(sel.Obj()); bit != 0 {
				if f := embeddedField(sel); f != nil {
					idx.embedded[origin(f)] |= bit
				}
			}
		case *ast.FuncDecl:
			if fn, ok := info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
				idx.decls[fn] = cur
			}
			idx.addResults(info, cur, n.Type)
		case *ast.FuncLit:
			idx.addResults(info, cur, n.Type)
		}
	}
	return idx
}

func (idx *index) addResults(info *types.Info, fn inspector.Cursor, ft *ast.FuncType) {
	if ft.Results == nil {
		return
	}
	pos := 0
	for _, field := range ft.Results.List {
		if len(field.Names) == 0 {
			pos++
			continue
		}
		for _, name := range field.Names {
			if v, ok := info.Defs[name].(*types.Var); ok && isDB(v.Type()) {
				idx.results[v] = result{fn, pos}
			}
			pos++
		}
	}
}

// embeddedField returns the field whose promoted method sel selects: the
// last embedded field on its path.
func embeddedField(sel *types.Selection) *types.Var {
	t := sel.Recv()
	var f *types.Var
	for _, i := range sel.Index()[:len(sel.Index())-1] {
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := types.Unalias(t).Underlying().(*types.Struct)
		if !ok {
			return nil
		}
		f = st.Field(i)
		t = f.Type()
	}
	return f
}

// A tracker follows the *sql.DB of one Open call through the package.
type tracker struct {
	pass    *analysis.Pass
	idx     *index
	work    []item
	holders map[types.Object]bool
	returns map[returnKey]bool
	set     uint8    // the setters seen
	escapes []string // where the pool left the package, for the message
}

// An item is an expression whose value is the pool: the expression itself
// when tuple is -1, or the element tuple of the tuple it evaluates to.
type item struct {
	cur   inspector.Cursor
	tuple int
}

type returnKey struct {
	fn  inspector.Cursor
	pos int
}

func (t *tracker) push(cur inspector.Cursor, tuple int) {
	t.work = append(t.work, item{cur, tuple})
}

func (t *tracker) escape(format string, args ...any) {
	if s := fmt.Sprintf(format, args...); !slices.Contains(t.escapes, s) {
		t.escapes = append(t.escapes, s)
	}
}

// drain follows the queued expressions, first in first out, so that the
// places the pool went are named in the order of the source, until it has
// seen every setter.
func (t *tracker) drain() {
	for len(t.work) > 0 && t.set != allSetters {
		it := t.work[0]
		t.work = t.work[1:]
		t.flow(it.cur, it.tuple)
	}
}

// flow follows the pool from the expression at cur to where its parent
// takes it.
func (t *tracker) flow(cur inspector.Cursor, tuple int) {
	info := t.pass.TypesInfo
	for cur.ParentEdgeKind() == edge.ParenExpr_X {
		cur = cur.Parent()
	}
	k, i := cur.ParentEdge()
	parent := cur.Parent()
	pos := i // which of the parent's operands, results or arguments
	if tuple >= 0 {
		pos = tuple // a tuple-valued call is the only expression there
	}
	switch k {
	case edge.SelectorExpr_X: // db.SetMaxOpenConns
		if sel := info.Selections[parent.Node().(*ast.SelectorExpr)]; tuple < 0 && sel != nil &&
			sel.Kind() == types.MethodVal && len(sel.Index()) == 1 {
			t.set |= setter(sel.Obj())
		}
	case edge.AssignStmt_Rhs:
		as := parent.Node().(*ast.AssignStmt)
		if tuple >= 0 || len(as.Lhs) == len(as.Rhs) {
			t.assign(as.Lhs[pos])
		}
	case edge.ValueSpec_Values:
		if vs := parent.Node().(*ast.ValueSpec); pos < len(vs.Names) {
			t.assign(vs.Names[pos])
		}
	case edge.ReturnStmt_Results:
		for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			t.returned(fn, pos)
			break
		}
	case edge.CallExpr_Args:
		t.passed(parent, pos)
	case edge.CompositeLit_Elts: // T{db}, []*sql.DB{db}
		lit := parent.Node().(*ast.CompositeLit)
		if st, ok := types.Unalias(info.TypeOf(lit)).Underlying().(*types.Struct); ok {
			if pos < st.NumFields() {
				t.hold(st.Field(pos))
			}
			return
		}
		t.escape("stored in a %s", container(info.TypeOf(lit)))
	case edge.KeyValueExpr_Value: // T{DB: db}, map[string]*sql.DB{"x": db}
		kv := parent.Node().(*ast.KeyValueExpr)
		lit := parent.Parent().Node().(*ast.CompositeLit)
		if _, ok := types.Unalias(info.TypeOf(lit)).Underlying().(*types.Struct); ok {
			if key, ok := kv.Key.(*ast.Ident); ok {
				if f, ok := info.Uses[key].(*types.Var); ok {
					t.hold(f)
				}
			}
			return
		}
		t.escape("stored in a %s", container(info.TypeOf(lit)))
	case edge.SendStmt_Value:
		t.escape("sent on a channel")
	}
}

// container names the kind of a map, slice or array type.
func container(t types.Type) string {
	switch types.Unalias(t).Underlying().(type) {
	case *types.Map:
		return "map"
	case *types.Array:
		return "array"
	}
	return "slice"
}

// assign follows the pool into the left-hand side of an assignment.
func (t *tracker) assign(lhs ast.Expr) {
	info := t.pass.TypesInfo
	switch e := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		if v, ok := info.ObjectOf(e).(*types.Var); ok { // nil for _
			t.hold(v)
		}
	case *ast.SelectorExpr: // a field, or a variable of another package
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			t.hold(v)
		}
	case *ast.IndexExpr:
		t.escape("stored in a %s", container(info.TypeOf(e.X)))
	case *ast.StarExpr:
		t.escape("stored through a pointer")
	}
}

// hold makes v one of the pool's holders and follows its uses.
func (t *tracker) hold(v *types.Var) {
	v = v.Origin()
	if t.holders[v] || !isDB(v.Type()) {
		return // an interface holding the pool cannot configure it
	}
	t.holders[v] = true
	switch {
	case v.Pkg() != t.pass.Pkg && v.IsField():
		t.escape("stored in field %s of a type of package %s", v.Name(), v.Pkg().Name())
	case v.Pkg() != t.pass.Pkg:
		t.escape("stored in %s.%s", v.Pkg().Name(), v.Name())
	case v.IsField() && v.Exported():
		t.escape("stored in exported field %s", v.Name())
	case v.Exported() && v.Parent() == v.Pkg().Scope():
		t.escape("stored in exported variable %s", v.Name())
	}
	if r, ok := t.idx.results[v]; ok {
		t.returned(r.fn, r.pos)
	}
	t.set |= t.idx.embedded[v]
	for _, use := range t.idx.uses[v] {
		t.push(use, -1)
	}
}

// returned follows the pool out of the function fn (a FuncDecl or a
// FuncLit) as its result pos, to the calls of that function.
func (t *tracker) returned(fn inspector.Cursor, pos int) {
	key := returnKey{fn, pos}
	if t.returns[key] {
		return
	}
	t.returns[key] = true
	info := t.pass.TypesInfo
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		obj, ok := info.Defs[n.Name].(*types.Func)
		if !ok {
			return
		}
		if n.Name.IsExported() {
			t.escape("returned by exported %s", funcName(obj, t.pass.Pkg))
		}
		t.calls(obj, tupleIndex(obj.Signature(), pos), "returned by "+funcName(obj, t.pass.Pkg))
	case *ast.FuncLit:
		sig, _ := info.TypeOf(n).(*types.Signature)
		if sig == nil {
			return
		}
		tuple := tupleIndex(sig, pos)
		lit := fn
		for lit.ParentEdgeKind() == edge.ParenExpr_X {
			lit = lit.Parent()
		}
		k, i := lit.ParentEdge()
		var lhs ast.Expr
		switch p := lit.Parent().Node().(type) {
		case *ast.CallExpr: // func() *sql.DB { ... }()
			if k == edge.CallExpr_Fun {
				t.push(lit.Parent(), tuple)
				return
			}
		case *ast.AssignStmt:
			if k == edge.AssignStmt_Rhs && len(p.Lhs) == len(p.Rhs) {
				lhs = p.Lhs[i]
			}
		case *ast.ValueSpec:
			if k == edge.ValueSpec_Values && i < len(p.Names) {
				lhs = p.Names[i]
			}
		}
		if id, ok := lhs.(*ast.Ident); ok {
			if v, ok := info.ObjectOf(id).(*types.Var); ok {
				t.calls(v, tuple, "returned by the function literal "+v.Name())
				return
			}
		}
		t.escape("returned by a function literal")
	}
}

// tupleIndex is the tuple index of result pos of a call of sig: -1 when
// the call has a single result.
func tupleIndex(sig *types.Signature, pos int) int {
	if sig.Results().Len() == 1 {
		return -1
	}
	return pos
}

// calls follows a result of the function or function variable obj to its
// calls in the package; what says where the pool went if obj is also used
// as a value.
func (t *tracker) calls(obj types.Object, tuple int, what string) {
	for _, use := range t.idx.uses[obj] {
		fun := use
		for {
			k := fun.ParentEdgeKind()
			if k != edge.ParenExpr_X && k != edge.IndexExpr_X && k != edge.IndexListExpr_X {
				break
			}
			fun = fun.Parent() // (f), f[T]
		}
		switch fun.ParentEdgeKind() {
		case edge.CallExpr_Fun:
			t.push(fun.Parent(), tuple)
		case edge.AssignStmt_Lhs, edge.ValueSpec_Names:
			// f = func() ... assigns the variable; it does not use it
		default:
			t.escape("%s, which is used as a value", what)
		}
	}
}

// passed follows the pool into argument pos of the call at cur.
func (t *tracker) passed(cur inspector.Cursor, pos int) {
	info := t.pass.TypesInfo
	call := cur.Node().(*ast.CallExpr)
	switch fn := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		if fn.Name() == "append" {
			t.escape("appended to a slice")
		}
	case *types.Func:
		name := funcName(fn, t.pass.Pkg)
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
				t.escape("passed to the method expression %s", name)
				return
			}
		}
		sig := fn.Signature()
		if t.passedThrough(cur, sig, pos) {
			return
		}
		if _, ok := t.idx.decls[fn]; !ok { // another package's, or an interface method
			t.escape("passed to %s", name)
			return
		}
		params := sig.Params()
		switch {
		case sig.Variadic() && pos >= params.Len()-1:
			t.escape("passed to variadic %s", name)
		case pos < params.Len():
			t.hold(params.At(pos)) // an unnamed or _ parameter is never used
		}
	case *types.Var:
		t.escape("passed to the function value %s", fn.Name())
	case nil:
		if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
			return // a conversion, to an interface: not followed
		}
		t.escape("passed to a function value")
	}
}

// passedThrough follows the pool through a generic function that returns
// the argument it is passed as one of its results, as Must[T any](v T,
// err error) T does, in any package: when the parameter at pos has a type
// parameter P for its type and a result has type P, the pool is taken to
// be that result of the call at cur. It reports whether it was.
func (t *tracker) passedThrough(cur inspector.Cursor, sig *types.Signature, pos int) bool {
	params := sig.Params()
	if pos >= params.Len() || sig.Variadic() && pos >= params.Len()-1 {
		return false
	}
	tp, ok := params.At(pos).Type().(*types.TypeParam)
	if !ok {
		return false
	}
	through := false
	for i := range sig.Results().Len() {
		if sig.Results().At(i).Type() == tp {
			t.push(cur, tupleIndex(sig, i))
			through = true
		}
	}
	return through
}

// funcName is fn's name as a message shows it: F, pkg.F, T.M or pkg.T.M.
func funcName(fn *types.Func, here *types.Package) string {
	var b strings.Builder
	if fn.Pkg() != nil && fn.Pkg() != here {
		b.WriteString(fn.Pkg().Name() + ".")
	}
	if recv := fn.Signature().Recv(); recv != nil {
		t := types.Unalias(recv.Type())
		if p, ok := t.(*types.Pointer); ok {
			t = types.Unalias(p.Elem())
		}
		if named, ok := t.(*types.Named); ok {
			b.WriteString(named.Obj().Name() + ".")
		}
	}
	b.WriteString(fn.Name())
	return b.String()
}
