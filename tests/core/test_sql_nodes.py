"""SQL text of expression nodes and the compiler, for each dialect (no database needed)."""

import datetime
import decimal

import pytest

from peewee import (
    EXCLUDED,
    JOIN,
    OP,
    SQL,
    AsIs,
    Case,
    Cast,
    Check,
    Column,
    CommaNodeList,
    Context,
    DQ,
    EnclosedNodeList,
    Entity,
    MySQLDialect,
    NodeList,
    PostgresqlDialect,
    QualifiedNames,
    SqliteDialect,
    Table,
    Tuple,
    Value,
    Window,
    chunked,
    fn,
    query_to_string,
)
from peewee.sql import AliasManager, Expression, Negated, Ordering, State

U = Table("users", ("id", "name", "age"))
T = Table("tweets", ("id", "user_id", "content"))


def sqlite(node):
    return Context(dialect=SqliteDialect()).sql(node).query()


def pg(node):
    return Context(dialect=PostgresqlDialect()).sql(node).query()


def mysql(node):
    return Context(dialect=MySQLDialect()).sql(node).query()


def generic(node):
    return Context().sql(node).query()


def where(expr):
    """The WHERE clause of a select on users, as rendered by SQLite."""
    sql, params = sqlite(U.select(U.id).where(expr))
    prefix = 'SELECT "t1"."id" FROM "users" AS "t1" WHERE '
    assert sql.startswith(prefix)
    return sql[len(prefix) :], params


def test_context_default_dialect_renders_placeholders_and_quotes():
    assert generic(U.name) == ('"t1"."name"', [])
    assert generic(Value([1, 2])) == ("(?, ?)", [1, 2])
    assert generic(Entity('a"b', "c")) == ('"a""b"."c"', [])
    assert generic(U) == ('"t1"', [])


def test_entity_quoting_per_dialect():
    assert sqlite(Entity("sch", "tbl")) == ('"sch"."tbl"', [])
    assert mysql(Entity("a`b", 'c"d')) == ('`a``b`.`c"d`', [])
    assert pg(Entity("ünï", "x;y")) == ('"ünï"."x;y"', [])
    assert sqlite(Entity("a").b) == ('"a"."b"', [])


def test_comparison_operators():
    assert where(U.id == 1) == ('("t1"."id" = ?)', [1])
    assert where(U.id != 1) == ('("t1"."id" != ?)', [1])
    assert where(U.id < 1) == ('("t1"."id" < ?)', [1])
    assert where(U.id <= 1) == ('("t1"."id" <= ?)', [1])
    assert where(U.id > 1) == ('("t1"."id" > ?)', [1])
    assert where(U.id >= 1) == ('("t1"."id" >= ?)', [1])


def test_none_comparisons_render_is_null():
    assert where(U.name == None) == ('("t1"."name" IS NULL)', [])  # noqa: E711
    assert where(U.name != None) == ('("t1"."name" IS NOT NULL)', [])  # noqa: E711
    assert where(U.name >> None) == ('("t1"."name" IS NULL)', [])
    assert where(U.name.is_null()) == ('("t1"."name" IS NULL)', [])
    assert where(U.name.is_null(False)) == ('("t1"."name" IS NOT NULL)', [])
    assert where(U.name >> True) == ('("t1"."name" IS ?)', [True])
    assert where(U.age > None) == ('("t1"."age" > ?)', [None])


def test_boolean_combination_and_negation():
    assert where((U.id == 1) | (U.id == 2) & ~(U.name == "a")) == (
        '(("t1"."id" = ?) OR (("t1"."id" = ?) AND NOT ("t1"."name" = ?)))',
        [1, 2, "a"],
    )
    assert where(~U.name.in_(["a"])) == ('NOT ("t1"."name" IN (?))', ["a"])
    node = ~(U.id == 1)
    assert isinstance(node, Negated)
    assert ~node is node.node


def test_arithmetic_and_reflected_operators():
    sql, params = sqlite(
        U.select(
            (U.age + 1) * 2 - U.id / 3,
            1 + U.age,
            5 - U.age,
            2 * U.age,
            U.age.bin_and(3),
            U.age.bin_or(4),
        )
    )
    assert sql == (
        'SELECT ((("t1"."age" + ?) * ?) - ("t1"."id" / ?)), (? + "t1"."age"), (? - "t1"."age"), '
        '(? * "t1"."age"), ("t1"."age" & ?), ("t1"."age" | ?) FROM "users" AS "t1"'
    )
    assert params == [1, 2, 3, 1, 5, 2, 3, 4]


def test_in_and_not_in():
    assert where(U.id.in_([1, 2, 3])) == ('("t1"."id" IN (?, ?, ?))', [1, 2, 3])
    assert where(U.id << (1, 2)) == ('("t1"."id" IN (?, ?))', [1, 2])
    assert where(U.id.not_in({4})) == ('("t1"."id" NOT IN (?))', [4])
    assert where(U.id.in_([U.age, 3])) == ('("t1"."id" IN ("t1"."age", ?))', [3])


def test_empty_in_renders_constant_truth_values():
    assert where(U.id.in_([])) == ("(0 = 1)", [])
    assert where(U.id.not_in([])) == ("(1 = 1)", [])


def test_in_subquery_reuses_outer_alias_for_same_table():
    assert where(U.id.in_(T.select(T.user_id).where(T.content == "x"))) == (
        '("t1"."id" IN (SELECT "t2"."user_id" FROM "tweets" AS "t2" WHERE ("t2"."content" = ?)))',
        ["x"],
    )
    assert where(U.id.in_(U.select(U.id))) == (
        '("t1"."id" IN (SELECT "t1"."id" FROM "users" AS "t1"))',
        [],
    )


def test_like_family_per_dialect():
    q = U.select(U.id).where(U.name % "a%")
    assert sqlite(q)[0].endswith('WHERE ("t1"."name" GLOB ?)')
    assert pg(q)[0].endswith('WHERE ("t1"."name" LIKE %s)')
    assert mysql(q)[0].endswith("WHERE (`t1`.`name` LIKE BINARY %s)")
    q = U.select(U.id).where(U.name ** "a%")
    assert sqlite(q)[0].endswith('WHERE ("t1"."name" LIKE ?)')
    assert pg(q)[0].endswith('WHERE ("t1"."name" ILIKE %s)')
    assert mysql(q)[0].endswith("WHERE (`t1`.`name` LIKE %s)")
    assert where(U.name.ilike("x")) == ('("t1"."name" LIKE ?)', ["x"])
    assert where(U.name.like("x")) == ('("t1"."name" GLOB ?)', ["x"])


def test_contains_startswith_endswith_escape_wildcards():
    assert where(U.name.contains("a")) == ('("t1"."name" LIKE ?)', ["%a%"])
    assert where(U.name.endswith("z")) == ('("t1"."name" LIKE ?)', ["%z"])
    assert where(U.name.startswith("a_%")) == ('("t1"."name" LIKE ? ESCAPE ?)', ["a\\_\\%%", "\\"])
    assert where(U.name.contains("a_b%")) == ('("t1"."name" LIKE ? ESCAPE ?)', ["%a\\_b\\%%", "\\"])
    assert where(U.name.contains(U.age)) == (
        '("t1"."name" LIKE (? || ("t1"."age" || ?)))',
        ["%", "%"],
    )


def test_regexp_per_dialect():
    assert sqlite(U.name.regexp("^a")) == ('("t1"."name" REGEXP ?)', ["^a"])
    assert sqlite(U.name.iregexp("^a")) == ('("t1"."name" IREGEXP ?)', ["^a"])
    assert pg(U.name.regexp("^a")) == ('("t1"."name" ~ %s)', ["^a"])
    assert pg(U.name.iregexp("^a")) == ('("t1"."name" ~* %s)', ["^a"])
    assert mysql(U.name.regexp("^a")) == ("(`t1`.`name` REGEXP BINARY %s)", ["^a"])
    assert mysql(U.name.iregexp("^a")) == ("(`t1`.`name` REGEXP %s)", ["^a"])


def test_between_concat_and_concat_function_on_mysql():
    assert where(U.age.between(1, 10)) == ('("t1"."age" BETWEEN ? AND ?)', [1, 10])
    assert sqlite(U.name.concat("x")) == ('("t1"."name" || ?)', ["x"])
    assert mysql(U.name.concat("x")) == ("CONCAT(`t1`.`name`, %s)", ["x"])


def test_ordering_and_nulls_emulation():
    q = U.select(U.id).order_by(U.name.asc(nulls="first"), U.age.desc(nulls="LAST"))
    assert sqlite(q)[0].endswith('ORDER BY "t1"."name" ASC NULLS first, "t1"."age" DESC NULLS LAST')
    assert mysql(q) == (
        "SELECT `t1`.`id` FROM `users` AS `t1` ORDER BY CASE WHEN (`t1`.`name` IS NULL) THEN %s "
        "ELSE %s END, `t1`.`name` ASC, CASE WHEN (`t1`.`age` IS NULL) THEN %s ELSE %s END, "
        "`t1`.`age` DESC",
        [0, 1, 1, 0],
    )
    assert sqlite(U.name.asc(collation="NOCASE")) == ('"t1"."name" COLLATE NOCASE ASC', [])
    assert sqlite(-U.name) == ('"t1"."name" DESC', [])
    assert isinstance(U.name.desc(), Ordering)
    with pytest.raises(ValueError):
        U.name.asc(nulls="middle")


def test_functions_filter_distinct_and_star():
    assert sqlite(fn.LOWER(U.name)) == ('LOWER("t1"."name")', [])
    assert sqlite(fn.COUNT(fn.DISTINCT(U.name))) == ('COUNT(DISTINCT("t1"."name"))', [])
    assert sqlite(fn.COUNT(U.name.distinct())) == ('COUNT(DISTINCT "t1"."name")', [])
    assert sqlite(fn.NOW()) == ("NOW()", [])
    assert sqlite(fn.COALESCE(U.age, 0)) == ('COALESCE("t1"."age", ?)', [0])
    assert sqlite(fn.COUNT(SQL("*"))) == ("COUNT(*)", [])
    assert sqlite(fn.COUNT(U.id).filter(U.age > 10)) == (
        'COUNT("t1"."id") FILTER (WHERE ("t1"."age" > ?))',
        [10],
    )
    assert sqlite(fn.GROUP_CONCAT(U.name).order_by(U.name.desc())) == (
        'GROUP_CONCAT("t1"."name" ORDER BY "t1"."name" DESC)',
        [],
    )


def test_function_with_single_subquery_argument_has_no_double_parentheses():
    q = U.select(fn.EXISTS(T.select(T.id)))
    assert sqlite(q)[0] == (
        'SELECT EXISTS(SELECT "t1"."id" FROM "tweets" AS "t1") FROM "users" AS "t2"'
    )
    q = U.select(fn.COALESCE(T.select(fn.MAX(T.id)), 0))
    assert sqlite(q)[0] == (
        'SELECT COALESCE((SELECT MAX("t1"."id") FROM "tweets" AS "t1"), ?) FROM "users" AS "t2"'
    )


def test_window_functions():
    assert sqlite(fn.SUM(U.age).over(partition_by=[U.name], order_by=[U.id])) == (
        'SUM("t1"."age") OVER (PARTITION BY "t1"."name" ORDER BY "t1"."id")',
        [],
    )
    assert sqlite(
        fn.SUM(U.age).over(order_by=[U.id], start=Window.preceding(), end=Window.CURRENT_ROW)
    ) == (
        'SUM("t1"."age") OVER (ORDER BY "t1"."id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)',
        [],
    )
    assert sqlite(
        fn.SUM(U.age).over(
            order_by=[U.id],
            start=Window.preceding(2),
            end=Window.following(1),
            frame_type=Window.RANGE,
        )
    ) == ('SUM("t1"."age") OVER (ORDER BY "t1"."id" RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)', [])
    assert sqlite(
        fn.SUM(U.age).over(
            order_by=[U.id],
            start=Window.preceding(2),
            frame_type=Window.GROUPS,
            exclude=Window.CURRENT_ROW,
        )
    ) == ('SUM("t1"."age") OVER (ORDER BY "t1"."id" GROUPS 2 PRECEDING EXCLUDE CURRENT ROW)', [])
    assert sqlite(fn.ROW_NUMBER().over()) == ("ROW_NUMBER() OVER ()", [])
    w = Window(partition_by=[U.name])
    assert sqlite(U.select(fn.SUM(U.age).over(w), fn.AVG(U.age).over(window=w)).window(w))[0] == (
        'SELECT SUM("t1"."age") OVER "w", AVG("t1"."age") OVER "w" FROM "users" AS "t1" '
        'WINDOW "w" AS (PARTITION BY "t1"."name")'
    )
    with pytest.raises(ValueError):
        Window(end=Window.CURRENT_ROW)


def test_case_cast_tuple():
    assert sqlite(Case(U.age, ((1, "one"), (2, "two")), "many")) == (
        'CASE "t1"."age" WHEN ? THEN ? WHEN ? THEN ? ELSE ? END',
        [1, "one", 2, "two", "many"],
    )
    assert sqlite(Case(None, ((U.age < 10, "kid"),)).alias("k")) == ('"k"', [])
    assert sqlite(U.select(Case(None, ((U.age < 10, "kid"),)).alias("k")))[0] == (
        'SELECT CASE WHEN ("t1"."age" < ?) THEN ? END AS "k" FROM "users" AS "t1"'
    )
    assert sqlite(Cast(U.age, "REAL")) == ('CAST("t1"."age" AS REAL)', [])
    assert sqlite(U.age.cast("TEXT") == "1") == ('(CAST("t1"."age" AS TEXT) = ?)', ["1"])
    assert where(Tuple(U.id, U.name).in_([(1, "a"), (2, "b")])) == (
        '(("t1"."id", "t1"."name") IN ((?, ?), (?, ?)))',
        [1, "a", 2, "b"],
    )


def test_node_lists_and_sql_literals():
    assert sqlite(NodeList((SQL("a"), SQL("b")))) == ("a b", [])
    assert sqlite(EnclosedNodeList([1, 2])) == ("(?, ?)", [1, 2])
    assert sqlite(CommaNodeList([U.id, U.name])) == ('"t1"."id", "t1"."name"', [])
    assert sqlite(SQL("age > ? AND name = ?", [18, "x"])) == ("age > ? AND name = ?", [18, "x"])
    assert sqlite(EnclosedNodeList([])) == ("()", [])


def test_values_are_always_parameters_even_hostile_ones():
    hostile = "x'); DROP TABLE users; --\x00ünï"
    sql, params = sqlite(U.select(U.id).where(U.name == hostile))
    assert hostile not in sql
    assert params == [hostile]
    values = [decimal.Decimal("1.5"), datetime.date(2020, 1, 2), b"\x00\x01", True, None]
    assert sqlite(Value(values)) == ("(?, ?, ?, ?, ?)", values)


def test_converter_protocol_uses_lhs_db_value():
    class Upper(Column):
        def db_value(self, value):
            return value.upper()

    col = Upper(U, "name")
    assert where(col == "abc") == ('("t1"."name" = ?)', ["ABC"])
    assert where(col.in_(["a", "b"])) == ('("t1"."name" IN (?, ?))', ["A", "B"])
    # Pattern operators are never converted.
    assert where(col.contains("ab")) == ('("t1"."name" LIKE ?)', ["%ab%"])
    # AsIs bypasses the converter.
    assert where(col == AsIs("abc")) == ('("t1"."name" = ?)', ["abc"])
    # A plain Column has no converter.
    assert where(U.name == "abc") == ('("t1"."name" = ?)', ["abc"])
    assert sqlite(Value("3", converter=int)) == ("?", [3])


def test_alias_rendering_depends_on_scope():
    q = U.select(U.name.alias("n")).where((U.age + 1).alias("x") > 1).order_by(U.name.alias("n"))
    assert sqlite(q) == (
        'SELECT "t1"."name" AS "n" FROM "users" AS "t1" WHERE ("x" > ?) ORDER BY "n"',
        [1],
    )
    assert U.name.alias("n").unalias() is U.name
    assert U.name.alias(None) is U.name


def test_check_qualified_names_and_excluded():
    assert sqlite(Check("age > 0")) == ("CHECK (age > 0)", [])
    assert sqlite(Check("age > 0", name="ck_age")) == ('CONSTRAINT "ck_age" CHECK (age > 0)', [])
    assert sqlite(QualifiedNames(U.name)) == ('"t1"."name"', [])
    assert sqlite(EXCLUDED.age) == ('EXCLUDED."age"', [])


def test_dq_combines_without_rendering():
    combined = DQ(name="a") | ~DQ(age__gt=3)
    assert isinstance(combined, Expression)
    assert combined.op == OP.OR
    assert combined.rhs._negated is True and combined.lhs._negated is False
    with pytest.raises(TypeError):
        sqlite(combined)


def test_op_and_join_constants():
    assert OP.EQ == "=" and OP.NOT_IN == "NOT IN" and OP.CONCAT == "||"
    assert JOIN.INNER == "INNER JOIN" and JOIN.LEFT_OUTER == "LEFT OUTER JOIN"
    assert JOIN.LATERAL == "JOIN LATERAL" and JOIN.LEFT_LATERAL == "LEFT JOIN LATERAL"
    assert JOIN.FULL_OUTER == "FULL OUTER JOIN" and JOIN.CROSS == "CROSS JOIN"


def test_chunked():
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []


def test_query_to_string_inlines_parameters_for_display():
    q = U.select(U.id).where((U.name == "a'b") & (U.id == 1) & (U.age == None))  # noqa: E711
    assert query_to_string(q) == (
        'SELECT "t1"."id" FROM "users" AS "t1" WHERE ((("t1"."name" = \'a\'\'b\') AND '
        '("t1"."id" = 1)) AND ("t1"."age" IS NULL))'
    )
    assert str(U.select(U.id).where(U.id == 2)) == (
        'SELECT "t1"."id" FROM "users" AS "t1" WHERE ("t1"."id" = 2)'
    )


def test_state_and_alias_manager():
    ctx = Context(dialect=SqliteDialect(), custom_flag=3)
    assert ctx.state.custom_flag == 3
    assert ctx.state.unknown_setting is None
    with ctx.scope_values(parentheses=True):
        ctx.literal("x")
        assert ctx.scope == 4
    assert ctx.query() == ("(x)", [])
    assert isinstance(ctx.state, State)
    am = AliasManager()
    a, b = object(), object()
    assert am[a] == "t1" and am[b] == "t2" and am[a] == "t1"
    am.push()
    assert am[a] == "t3"
    assert am.get(b, any_depth=True) == "t2"
    am.pop()
    with pytest.raises(ValueError):
        am.pop()


def test_node_clone_and_copy_decorator():
    q1 = U.select(U.id)
    q2 = q1.where(U.id == 1)
    assert q1._where is None and q2._where is not None
    expr = U.id == 1
    assert expr.clone() is not expr and expr.clone().lhs is expr.lhs
    assert U.id.unwrap() is U.id and not U.id.is_alias() and U.id.alias("x").is_alias()


def test_sqlite_before_3_30_emulates_nulls_ordering():
    old = SqliteDialect().derive(server_version=(3, 22, 0))
    assert not old.nulls_ordering
    assert Context(dialect=old).sql(U.age.asc(nulls="first")).query() == (
        'CASE WHEN ("t1"."age" IS NULL) THEN ? ELSE ? END, "t1"."age" ASC',
        [0, 1],
    )
    assert SqliteDialect().derive(server_version=(3, 40, 1)).nulls_ordering
    assert not SqliteDialect(nulls_ordering=False).nulls_ordering


def test_dialect_derive_merges_dictionaries_and_keeps_the_original():
    base = PostgresqlDialect()
    custom = base.derive(param="$", field_types={"UUID": "TEXT"}, operations={"ILIKE": "LIKE"})
    assert custom.param == "$" and base.param == "%s"
    assert custom.field_types["UUID"] == "TEXT" and base.field_types["UUID"] == "UUID"
    assert custom.field_types["AUTO"] == "SERIAL"
    assert custom.operations["ILIKE"] == "LIKE" and custom.operations["REGEXP"] == "~"
    assert Context(dialect=custom).sql(U.name ** "x").query() == ('("t1"."name" LIKE $)', ["x"])
    assert base.supports_returning and not SqliteDialect().supports_returning


def test_context_settings_override_dialect_data():
    ctx = Context(dialect=SqliteDialect(), param="%s", quote="[]")
    assert ctx.sql(U.select(U.id).where(U.id == 1)).query() == (
        "SELECT [t1].[id] FROM [users] AS [t1] WHERE ([t1].[id] = %s)",
        [1],
    )
    assert SqliteDialect().param == "?"
