# SPDX-License-Identifier: MIT
"""Parse a code query into its AST by recursive descent; errors say where and what was expected.

The grammar (keywords in any case)::

    query   := expr [WITHIN unit] [WHERE cond]
    expr    := and (OR and)*
    and     := near (AND near)*
    near    := unary ((NEAR | BEFORE)[/n[chars|turns]] unary)*
    unary   := NOT unary | code | glob | facet:value | "quoted code" | ( expr )
    unit    := overlap | sentence | turn | transcript
    cond    := cand (OR cand)*
    cand    := cnot (AND cnot)*
    cnot    := NOT cnot | ( cond ) | field (= | !=) value | field IN ( value, ... )
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qualcarto.errors import QualcartoError
from qualcarto.query.ast import (
    UNITS,
    Binary,
    CodeRef,
    Compare,
    Cond,
    CondBinary,
    CondNot,
    Expr,
    FacetRef,
    Not,
    Proximity,
    Query,
)

KEYWORDS = ("AND", "OR", "NOT", "NEAR", "BEFORE", "WITHIN", "WHERE", "IN")
_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>!=|=|\(|\)|,)
      | (?P<word>[^\s"'()=!,]+)""",
    re.VERBOSE,
)
_PROXIMITY = re.compile(r"^(NEAR|BEFORE)(?:/(\d+)(CHARS|TURNS)?)?$", re.IGNORECASE)
_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_.\-*?\[\]]+$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


class QuerySyntaxError(QualcartoError):
    """A query that does not parse: the message names the position and what was expected."""

    def __init__(self, position: int, expected: str, found: str) -> None:
        self.position = position
        self.expected = expected
        self.found = found
        super().__init__(f"query position {position + 1}: expected {expected}, found {found}")


@dataclass(frozen=True)
class Token:
    kind: str  # string | op | word | keyword | proximity | end
    text: str
    position: int

    def shown(self) -> str:
        return "the end of the query" if self.kind == "end" else f"'{self.text}'"


def tokenize(text: str) -> list[Token]:
    """Split a query into tokens; an unclosed quote is an error at the quote."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only an unclosed quote or a lone '!' get here
            found = text[position]
            expected = "a closing quote" if found in "\"'" else "'!=' or a code"
            raise QuerySyntaxError(position, expected, f"'{text[position : position + 12]}'")
        kind = match.lastgroup or "space"
        word = match.group()
        if kind == "word":
            if _PROXIMITY.match(word):
                kind = "proximity"
            elif word.upper() in KEYWORDS:
                kind = "keyword"
        if kind != "space":
            tokens.append(Token(kind, word, position))
        position = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def is_keyword(self, *names: str) -> bool:
        return self.current.kind == "keyword" and self.current.text.upper() in names

    def fail(self, expected: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.current.position, expected, self.current.shown())

    def expect_op(self, op: str, expected: str) -> Token:
        if self.current.kind != "op" or self.current.text != op:
            raise self.fail(expected)
        return self.advance()

    # --- the code expression -------------------------------------------------------
    def query(self) -> Query:
        expr = self.expr()
        unit = "overlap"
        if self.is_keyword("WITHIN"):
            self.advance()
            token = self.current
            if token.kind != "word" or token.text.lower() not in UNITS:
                raise self.fail("a unit (" + ", ".join(UNITS) + ")")
            unit = self.advance().text.lower()
        where = None
        if self.is_keyword("WHERE"):
            self.advance()
            where = self.cond()
        if self.current.kind != "end":
            raise self.fail("AND, OR, NEAR, BEFORE, WITHIN, WHERE or the end of the query")
        return Query(expr, unit, where, self.text)

    def expr(self) -> Expr:
        left = self.conjunction()
        while self.is_keyword("OR"):
            self.advance()
            left = Binary("OR", left, self.conjunction())
        return left

    def conjunction(self) -> Expr:
        left = self.proximity()
        while self.is_keyword("AND"):
            self.advance()
            left = Binary("AND", left, self.proximity())
        return left

    def proximity(self) -> Expr:
        left = self.unary()
        while self.current.kind == "proximity":
            match = _PROXIMITY.match(self.advance().text)
            assert match is not None
            distance = int(match[2]) if match[2] is not None else None
            measure = (match[3] or "chars").lower()
            left = Proximity(match[1].upper(), left, self.unary(), distance, measure)
        return left

    def unary(self) -> Expr:
        if self.is_keyword("NOT"):
            self.advance()
            return Not(self.unary())
        token = self.current
        if token.kind == "op" and token.text == "(":
            self.advance()
            inner = self.expr()
            self.expect_op(")", "')' to close the '(' at position " + str(token.position + 1))
            return inner
        if token.kind == "string":
            self.advance()
            return CodeRef(_unquote(token.text), token.position)
        if token.kind == "word":
            self.advance()
            return self.code_or_facet(token)
        raise self.fail("a code, a glob, a facet:value or '('")

    def code_or_facet(self, token: Token) -> Expr:
        if ":" in token.text:
            facet, _, value = token.text.partition(":")
            if not _NAME.match(facet):
                raise QuerySyntaxError(token.position, "a facet name before ':'", token.shown())
            if not value:
                raise QuerySyntaxError(
                    token.position + len(token.text), f"a value after '{facet}:'", token.shown()
                )
            return FacetRef(facet, value, token.position)
        if not _CODE_PATTERN.match(token.text):
            raise QuerySyntaxError(token.position, "a code id or glob", token.shown())
        return CodeRef(token.text, token.position)

    # --- the WHERE filter ----------------------------------------------------------
    def cond(self) -> Cond:
        left = self.cond_and()
        while self.is_keyword("OR"):
            self.advance()
            left = CondBinary("OR", left, self.cond_and())
        return left

    def cond_and(self) -> Cond:
        left = self.cond_not()
        while self.is_keyword("AND"):
            self.advance()
            left = CondBinary("AND", left, self.cond_not())
        return left

    def cond_not(self) -> Cond:
        if self.is_keyword("NOT"):
            self.advance()
            return CondNot(self.cond_not())
        token = self.current
        if token.kind == "op" and token.text == "(":
            self.advance()
            inner = self.cond()
            self.expect_op(")", "')' to close the '(' at position " + str(token.position + 1))
            return inner
        if token.kind not in ("word", "string"):
            raise self.fail("an attribute name, 'coder', 'group', 'version' or '('")
        field = _unquote(token.text) if token.kind == "string" else token.text
        self.advance()
        if self.is_keyword("IN"):
            self.advance()
            self.expect_op("(", "'(' after IN")
            values = [self.value()]
            while self.current.kind == "op" and self.current.text == ",":
                self.advance()
                values.append(self.value())
            self.expect_op(")", "',' or ')' to close the list of values")
            return Compare(field, "IN", tuple(values), token.position)
        if self.current.kind != "op" or self.current.text not in ("=", "!="):
            raise self.fail(f"'=', '!=' or IN after '{field}'")
        op = self.advance().text
        return Compare(field, op, (self.value(),), token.position)

    def value(self) -> str:
        token = self.current
        if token.kind == "string":
            self.advance()
            return _unquote(token.text)
        if token.kind == "word":
            self.advance()
            return token.text
        raise self.fail("a value (a word or a quoted string)")


def parse_query(text: str) -> Query:
    """Parse a query; raises ``QuerySyntaxError`` naming the position and what was expected.

    >>> parse_query("pre-* AND polarity:challenge WITHIN turn").unit
    'turn'
    """
    if not text.strip():
        raise QuerySyntaxError(0, "a code, a glob, a facet:value or '('", "an empty query")
    return _Parser(text).query()
