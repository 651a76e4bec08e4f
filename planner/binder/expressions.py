"""Binding scalar expressions: sqlglot nodes in a scope to typed IR.

Column names resolve against the scope (then enclosing scopes, giving OuterRefs); functions resolve
against the registry, then user functions; literals get Flink's literal types (`'ab'` is CHAR(2) NOT
NULL, `1.5` is DECIMAL(2, 1) NOT NULL, `1` is INT NOT NULL). Aggregates and OVER calls are handled by
a hook from the SELECT binder, which knows where their results live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlglot import exp

from planner import types as T
from planner.binder.context import BindContext, Scope, ValidationError, function_error, invalid
from planner.binder.datatypes import to_flink_type
from planner.binder.literals import interval_literal, is_typed_literal, literal
from planner.expr import Call, Cast, Expr, InputRef, Lit, OuterRef, SubQuery, Symbol, UdfCall
from planner.functions import registry
from planner.functions.coercion import CoercionError, common_type
from planner.functions.registry import FunctionDef, FunctionError

Hook = Callable[[exp.Expr], Expr | None]
"""Called on every node before normal binding; a non-None result replaces the node's binding."""

_IS_FORMS = {
    (exp.Null, False): "IS NULL",
    (exp.Null, True): "IS NOT NULL",
}


class ExpressionBinder:
    def __init__(self, ctx: BindContext, scope: Scope, hook: Hook | None = None) -> None:
        self.ctx = ctx
        self.scope = scope
        self.hook = hook

    # ---------------------------------------------------------------- entry

    def bind(self, node: exp.Expr) -> Expr:
        if self.hook is not None:
            hooked = self.hook(node)
            if hooked is not None:
                return hooked
        return self._bind(node)

    def _bind(self, node: exp.Expr) -> Expr:
        match node:
            case exp.Paren() | exp.Alias():
                return self.bind(node.this)
            case exp.Column():
                return self.column(node)
            case exp.Dot() if isinstance(node.this, exp.Column | exp.Dot):
                return self.column(node)
            case exp.Literal():
                return literal(node)
            case exp.Null():
                return Lit(None, T.NULL)
            case exp.HexString():
                # X'0102' is BINARY(2) NOT NULL
                try:
                    value = bytes.fromhex(node.this)
                except ValueError:
                    raise invalid(
                        f"Binary literal string must contain only characters '0' - '9', 'A' - 'F': '{node.this}'",
                        node,
                    ) from None
                return Lit(value, T.binary(len(value), False))
            case exp.Boolean():
                return Lit(bool(node.this), T.boolean(False))
            case exp.Cast() | exp.TryCast():
                return self.cast(node)
            case exp.Interval():
                return interval_literal(node)
            case exp.Is():
                return self.is_test(node, negated=False)
            case exp.Not():
                return self.negation(node)
            case exp.In():
                return self.in_(node, negated=False)
            case exp.Exists():
                return self.subquery("EXISTS", node.this, node)
            case exp.Subquery():
                return self.subquery("SCALAR", node, node)
            case exp.Case():
                return self.case(node)
            case exp.EQ() | exp.NEQ() | exp.LT() | exp.LTE() | exp.GT() | exp.GTE() if isinstance(
                node.expression, exp.Any | exp.All
            ):
                return self.quantified(node)
            case exp.Like() | exp.ILike() | exp.SimilarTo() | exp.Escape():
                test = self.call_by_name(_like_name(node), _like_args(node), node)
                inner = node.this if isinstance(node, exp.Escape) else node
                if inner.args.get("negate") or node.args.get("negate"):
                    return self.call_by_name("NOT", [test], node)
                return test
            case exp.Neg() if isinstance(node.this, exp.Literal) and not node.this.is_string:
                return literal(node.this, negative=True)
            case exp.Dot() if not isinstance(node.this, exp.Column | exp.Dot):
                return self.fields(self.bind(node.this), [node.expression.name], node)
            case exp.Anonymous():
                return self.anonymous(node)
        fdef = registry.by_node(node)
        if fdef is not None:
            return self.call(
                fdef, fdef.args(node) if fdef.args else registry.default_args(node), node
            )
        if isinstance(node, exp.Func):
            return self.call_by_name(node.sql_name(), registry.default_args(node), node)
        raise invalid(f"Unsupported expression '{node.sql()}'", node)

    # ---------------------------------------------------------------- names

    def column(self, node: exp.Column | exp.Dot) -> Expr:
        parts = [p.name for p in node.parts] if isinstance(node, exp.Column) else _dot_parts(node)
        # t.c.f is column c of table t then field f; c.f is field f of column c (when no table c).
        if len(parts) > 1:
            found = self.resolve(parts[1], parts[0], node)
            if found is not None:
                return self.fields(found, parts[2:], node)
        found = self.resolve(parts[0], None, node)
        if found is not None:
            return self.fields(found, parts[1:], node)
        shown = ".".join(parts)
        if len(parts) > 1 and not self._any_qualifier(parts[0]):
            raise invalid(f"Table '{parts[0]}' not found", node)
        if len(parts) == 2:
            raise invalid(
                f"Column '{parts[1]}' not found in table '{parts[0]}'",
                node,
                hint=self._hint(parts[1]),
            )
        raise invalid(f"Column '{shown}' not found in any table", node, hint=self._hint(parts[-1]))

    def _any_qualifier(self, q: str) -> bool:
        scope: Scope | None = self.scope
        while scope is not None:
            if scope.has_qualifier(q):
                return True
            scope = scope.parent
        return False

    def resolve(self, name: str, qualifier: str | None, node: exp.Expr) -> Expr | None:
        scope: Scope | None = self.scope
        depth = 0
        while scope is not None:
            matches = scope.lookup(name, qualifier)
            if len(matches) > 1:
                raise invalid(f"Column '{name}' is ambiguous", node)
            if matches:
                c = matches[0]
                if depth == 0:
                    return InputRef(c.index, c.type, name)
                return OuterRef(depth, c.index, c.type.without_time_attr(), name)
            scope = scope.parent
            depth += 1
        return None

    def fields(self, base: Expr, path: list[str], node: exp.Expr) -> Expr:
        for name in path:
            t = base.type
            if t.name != "ROW" or name not in t.field_names:
                raise invalid(f"Unknown field '{name}' in {t}", node)
            i = t.field_names.index(name)
            ft = t.children[i]
            base = Call(
                "FIELD",
                (base, Lit(name, T.string(False))),
                ft.with_nullable(ft.nullable or t.nullable),
            )
        return base

    def _hint(self, name: str) -> str | None:
        import difflib

        names = [c.name for c in self.scope.columns if not c.hidden]
        close = difflib.get_close_matches(name, names, n=1)
        if not close:
            close = [n for n in names if n.lower() == name.lower()]
        return f"Did you mean '{close[0]}'?" if close else None

    # ---------------------------------------------------------------- calls

    def anonymous(self, node: exp.Anonymous) -> Expr:
        name = node.name
        udf = self.ctx.python_function((name,))
        if udf is not None:
            args = tuple(self.bind(a) for a in node.expressions)
            return bind_udf(udf, name, args, node)
        return self.call_by_name(name, list(node.expressions), node)

    def call_by_name(self, name: str, raw_args: list, node: exp.Expr) -> Expr:
        fdef = registry.by_name(name)
        if fdef is None:
            udf = self.ctx.python_function((name,))
            if udf is not None:
                return bind_udf(udf, name, tuple(self.arg(a) for a in raw_args), node)
            shown = ", ".join(f"<{self._signature_family(a)}>" for a in raw_args)
            raise invalid(
                f"No match found for function signature {name}({shown})",
                node,
                hint=_function_hint(name),
            )
        return self.call(fdef, raw_args, node)

    def _signature_family(self, raw: exp.Expr | Symbol) -> str:
        """Calcite's name for an argument in 'No match found for function signature' messages."""
        try:
            t = self.arg(raw).type
        except ValidationError:
            return "ANY"
        return _SIGNATURE_FAMILIES.get(t.name, t.name)

    def call(self, fdef: FunctionDef, raw_args: list, node: exp.Expr) -> Expr:
        if fdef.kind != "scalar":
            raise invalid(
                f"Aggregate function '{fdef.name}' is not allowed here"
                if fdef.kind == "aggregate"
                else "OVER clause is necessary for window functions",
                node,
            )
        args = tuple(self.arg(a) for a in raw_args)
        try:
            rt = fdef.infer(args)
        except FunctionError as e:
            raise function_error(e, node) from None
        return Call(fdef.name, args, rt)

    def arg(self, a: exp.Expr | Expr) -> Expr:
        """One argument as IR; an argument that is already IR (bound earlier) passes through."""
        if not isinstance(a, exp.Expr):
            return a
        if isinstance(a, exp.Var):
            return Symbol(a.name.upper())
        if isinstance(a, exp.DataType):
            return Symbol(to_flink_type(a).sql())
        return self.bind(a)

    # ---------------------------------------------------------------- special forms

    def cast(self, node: exp.Cast) -> Expr:
        target = to_flink_type(node.args["to"])
        operand = self.bind(node.this)
        if is_typed_literal(node) and target.name in ("TIMESTAMP", "TIME"):
            # TIMESTAMP '2020-01-01 10:00:00.12' is TIMESTAMP(2): the literal's own precision
            digits = node.this.name.partition(".")[2].strip()
            target = replace(target, precision=len(digits))
        safe = isinstance(node, exp.TryCast) or bool(node.args.get("safe"))
        if operand.type.name == "NULL":
            return Lit(None, target)
        from planner.functions.casts import check_cast

        problem = check_cast(operand.type, target)
        if problem is not None:
            raise invalid(problem, node)
        return Cast(operand, target.with_nullable(operand.type.nullable or safe), safe)

    def is_test(self, node: exp.Is, negated: bool) -> Expr:
        operand = self.bind(node.this)
        right = node.expression
        if isinstance(right, exp.Null):
            name = "IS NOT NULL" if negated else "IS NULL"
        elif isinstance(right, exp.Boolean):
            word = "TRUE" if right.this else "FALSE"
            name = f"IS NOT {word}" if negated else f"IS {word}"
        elif isinstance(right, exp.Var) and right.name.upper() == "UNKNOWN":
            name = "IS NOT UNKNOWN" if negated else "IS UNKNOWN"
        elif isinstance(right, exp.JSON):
            kind = right.this.upper() if isinstance(right.this, str) else ""
            name = ("IS NOT JSON" if negated else "IS JSON") + (f" {kind}" if kind else "")
            return self.call_by_name(name, [operand], node)
        else:
            raise invalid(f"Unsupported IS test '{node.sql()}'", node)
        fdef = registry.by_name(name)
        assert fdef is not None
        try:
            return Call(name, (operand,), fdef.infer((operand,)))
        except FunctionError as e:
            raise function_error(e, node) from None

    def negation(self, node: exp.Not) -> Expr:
        inner = node.this
        while isinstance(inner, exp.Paren) and isinstance(inner.this, exp.Is | exp.In):
            inner = inner.this
        if isinstance(inner, exp.Is):
            return self.is_test(inner, negated=True)
        if isinstance(inner, exp.In):
            return self.in_(inner, negated=True)
        if isinstance(inner, exp.Between):
            args = [inner.this, inner.args["low"], inner.args["high"]]
            if inner.args.get("symmetric"):
                args.append(Symbol("SYMMETRIC"))
            return self.call_by_name("NOT BETWEEN", args, node)
        if isinstance(inner, exp.Exists):
            sub = self.subquery("EXISTS", inner.this, inner)
            assert isinstance(sub, SubQuery)
            return SubQuery("EXISTS", sub.plan, sub.type, negated=True)
        return self.call_by_name("NOT", [inner], node)

    def in_(self, node: exp.In, negated: bool) -> Expr:
        query = node.args.get("query")
        if query is not None:
            operands = node.this.expressions if isinstance(node.this, exp.Tuple) else [node.this]
            bound = tuple(self.bind(o) for o in operands)
            plan = self.bind_subplan(query.this if isinstance(query, exp.Subquery) else query)
            if len(plan.schema) != len(bound):
                raise invalid("Values passed to IN operator must have compatible types", node)
            for o, f in zip(bound, plan.schema, strict=True):
                try:
                    common_type([o.type, f.type])
                except CoercionError:
                    raise invalid(
                        f"Values passed to IN operator must have compatible types: {o.type} and {f.type}",
                        node,
                    ) from None
            nullable = any(o.type.nullable for o in bound) or any(
                f.type.nullable for f in plan.schema
            )
            return SubQuery("IN", plan, T.boolean(nullable), operands=bound, negated=negated)
        return self.call_by_name(
            "NOT IN" if negated else "IN", [node.this, *node.expressions], node
        )

    def quantified(self, node: exp.Binary) -> Expr:
        q = node.expression
        kind = "SOME" if isinstance(q, exp.Any) else "ALL"
        target = q.this
        plan = self.bind_subplan(target.this if isinstance(target, exp.Subquery) else target)
        left = self.bind(node.this)
        op = {exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">="}[
            type(node)
        ]
        return SubQuery(kind, plan, T.boolean(True), operands=(left,), comparison=op)

    def subquery(self, kind: str, query: exp.Expr, node: exp.Expr) -> Expr:
        inner = query.this if isinstance(query, exp.Subquery) else query
        plan = self.bind_subplan(inner)
        if kind == "EXISTS":
            return SubQuery("EXISTS", plan, T.boolean(False))
        if len(plan.schema) != 1:
            from planner.types import calcite_name

            fields = ", ".join(f"{calcite_name(f.type)} {f.name.upper()}" for f in plan.schema)
            raise invalid(
                f"Cannot apply '$SCALAR_QUERY' to arguments of type '$SCALAR_QUERY(<RECORDTYPE("
                f"{fields})>)'. Supported form(s): '$SCALAR_QUERY(<RECORDTYPE(SINGLE FIELD)>)'",
                node,
            )
        return SubQuery("SCALAR", plan, plan.schema[0].type.without_time_attr().with_nullable(True))

    def bind_subplan(self, query: exp.Expr):
        from planner.binder.query import bind_query

        return bind_query(query, self.ctx, parent=self.scope)

    def case(self, node: exp.Case) -> Expr:
        operand = node.this
        raw: list[exp.Expr] = []
        for branch in node.args.get("ifs") or []:
            cond = (
                branch.this
                if operand is None
                else exp.EQ(this=operand.copy(), expression=branch.this)
            )
            raw += [cond, branch.args["true"]]
        raw.append(node.args.get("default") or exp.Null())
        args = tuple(self.bind(a) for a in raw)
        fdef = registry.by_name("CASE")
        assert fdef is not None
        try:
            rt = fdef.infer(args)
        except FunctionError as e:
            raise function_error(e, node) from None
        return Call("CASE", args, rt)


# ---------------------------------------------------------------- helpers

_SIGNATURE_FAMILIES = {
    **dict.fromkeys(
        ("TINYINT", "SMALLINT", "INT", "BIGINT", "DECIMAL", "FLOAT", "DOUBLE"), "NUMERIC"
    ),
    **dict.fromkeys(("CHAR", "VARCHAR"), "CHARACTER"),
    **dict.fromkeys(("BINARY", "VARBINARY"), "BINARY"),
    "TIMESTAMP_LTZ": "TIMESTAMP_WITH_LOCAL_TIME_ZONE",
    "INTERVAL_YM": "INTERVAL_YEAR_MONTH",
    "INTERVAL_DT": "INTERVAL_DAY_TIME",
    "SYMBOL": "ANY",
}


def _dot_parts(node: exp.Expr) -> list[str]:
    if isinstance(node, exp.Dot):
        return [*_dot_parts(node.this), node.expression.name]
    if isinstance(node, exp.Column):
        return [p.name for p in node.parts]
    return [node.name]


def _like_name(node: exp.Expr) -> str:
    inner = node.this if isinstance(node, exp.Escape) else node
    return "SIMILAR TO" if isinstance(inner, exp.SimilarTo) else "LIKE"


def _like_args(node: exp.Expr) -> list[exp.Expr]:
    if isinstance(node, exp.Escape):
        inner = node.this
        return [inner.this, inner.expression, node.expression]
    return [node.this, node.expression]


def _function_hint(name: str) -> str | None:
    import difflib

    close = difflib.get_close_matches(name.upper(), registry.all_names(), n=1)
    return f"Did you mean '{close[0]}'?" if close else None


def bind_udf(udf: object, name: str, args: tuple[Expr, ...], node: exp.Expr) -> Expr:
    result_type = getattr(udf, "result_type", None)
    if result_type is None:
        raise invalid(f"Function '{name}' has no result type", node)
    return UdfCall(udf, name, args, result_type)
