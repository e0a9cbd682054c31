"""Parse members expressions such as ``post-soviet - (CIS | CSTO)``.

Grammar: names of organisations, groups or states combined with ``|``
(union), ``&`` (intersection) and ``-`` (difference), and parentheses.
``&`` binds tighter than ``|`` and ``-``, which share a level and group to
the left (like ``*`` against ``+`` and ``-``). A ``-`` inside a name
(``post-soviet``) is part of the name; as an operator it needs a space or a
parenthesis beside it. Parsing is iterative (shunting-yard), so neither deep
nesting nor long expressions can exhaust the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from blocwatch.errors import ExpressionError

MAX_LENGTH = 10_000
MAX_TERMS = 1_000

_STOP = frozenset("()|&")
PRECEDENCE = {"&": 2, "|": 1, "-": 1}


@dataclass(frozen=True)
class Term:
    name: str
    position: int


@dataclass(frozen=True)
class Op:
    symbol: str
    position: int


def _tokens(expr: str) -> list[Term | Op | tuple[str, int]]:
    """Split into names, operators and parentheses; a '-' that starts a token is an operator."""
    out: list[Term | Op | tuple[str, int]] = []
    pos, n = 0, len(expr)
    while pos < n:
        ch = expr[pos]
        if ch.isspace():
            pos += 1
        elif ch in "()":
            out.append((ch, pos))
            pos += 1
        elif ch in "|&-":
            out.append(Op(ch, pos))
            pos += 1
        else:
            start = pos
            while pos < n and not expr[pos].isspace() and expr[pos] not in _STOP:
                pos += 1
            out.append(Term(expr[start:pos], start))
    return out


def parse(expr: str) -> list[Term | Op]:
    """The expression in reverse Polish order; ExpressionError names what is wrong and where."""
    if len(expr) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(expr)} characters; at most {MAX_LENGTH})")
    if not expr.strip():
        raise ExpressionError("expression is empty: name an organisation or group, e.g. CIS")
    output: list[Term | Op] = []
    stack: list[Op | tuple[str, int]] = []
    expect_operand = True
    terms = 0
    shown = expr if len(expr) <= 60 else expr[:57] + "..."
    for token in _tokens(expr):
        if isinstance(token, Term):
            if not expect_operand:
                raise ExpressionError(
                    f"expression {shown!r}: expected an operator (| & -) before "
                    f"{token.name!r} at position {token.position + 1}"
                )
            terms += 1
            if terms > MAX_TERMS:
                raise ExpressionError(f"expression has too many terms (more than {MAX_TERMS})")
            output.append(token)
            expect_operand = False
        elif isinstance(token, Op):
            if expect_operand:
                raise ExpressionError(
                    f"expression {shown!r}: expected a name before {token.symbol!r} "
                    f"at position {token.position + 1}"
                )
            while stack and isinstance(stack[-1], Op) and PRECEDENCE[stack[-1].symbol] >= PRECEDENCE[token.symbol]:
                output.append(stack.pop())  # type: ignore[arg-type]
            stack.append(token)
            expect_operand = True
        elif token[0] == "(":
            if not expect_operand:
                raise ExpressionError(
                    f"expression {shown!r}: expected an operator before '(' at position {token[1] + 1}"
                )
            stack.append(token)
        else:
            if expect_operand:
                raise ExpressionError(
                    f"expression {shown!r}: expected a name before ')' at position {token[1] + 1}"
                )
            while stack and isinstance(stack[-1], Op):
                output.append(stack.pop())  # type: ignore[arg-type]
            if not stack:
                raise ExpressionError(
                    f"expression {shown!r}: unbalanced parentheses: ')' at position "
                    f"{token[1] + 1} closes nothing"
                )
            stack.pop()
    if expect_operand:
        raise ExpressionError(f"expression {shown!r}: ends with an operator; expected a name")
    while stack:
        top = stack.pop()
        if isinstance(top, tuple):
            raise ExpressionError(
                f"expression {shown!r}: unbalanced parentheses: '(' at position {top[1] + 1} "
                "is never closed"
            )
        output.append(top)
    return output
