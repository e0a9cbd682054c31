import pytest
from hypothesis import given
from hypothesis import strategies as st

from blocwatch.errors import ExpressionError
from blocwatch.query.expression import Op, parse


def rpn(expr):
    return [t.symbol if isinstance(t, Op) else t.name for t in parse(expr)]


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("CIS", ["CIS"]),
        ("CIS - CSTO", ["CIS", "CSTO", "-"]),
        ("post-soviet - (CIS | CSTO)", ["post-soviet", "CIS", "CSTO", "|", "-"]),  # hyphen in a name
        ("CIS -CSTO", ["CIS", "CSTO", "-"]),  # a '-' that starts a token is an operator
        ("a | b & c", ["a", "b", "c", "&", "|"]),  # & binds tighter
        ("a - b | c", ["a", "b", "-", "c", "|"]),  # - and | group to the left
        ("((a))", ["a"]),
    ],
)
def test_parse(expr, expected):
    assert rpn(expr) == expected


@pytest.mark.parametrize(
    "expr, message",
    [
        ("CIS - (CSTO", "unbalanced parentheses: '(' at position 7 is never closed"),
        ("CIS)", "unbalanced parentheses: ')' at position 4 closes nothing"),
        ("CIS CSTO", "expected an operator (| & -) before 'CSTO' at position 5"),
        ("CIS |", "ends with an operator"),
        ("| CIS", "expected a name before '|' at position 1"),
        ("   ", "expression is empty"),
        ("()", "expected a name before ')' at position 2"),
        (" | ".join(["CIS"] * 10_000), "too long"),
        (" | ".join(["a"] * 1_500), "too many terms"),
    ],
)
def test_parse_errors_name_the_problem(expr, message):
    with pytest.raises(ExpressionError) as err:
        parse(expr)
    assert message in str(err.value)


def test_deep_nesting_does_not_exhaust_the_stack():
    assert rpn("(" * 3000 + "a" + ")" * 3000) == ["a"]


@given(st.text(alphabet="ab()|&- ", max_size=40))
def test_parser_raises_only_its_own_error(expr):
    try:
        parse(expr)
    except ExpressionError:
        pass
