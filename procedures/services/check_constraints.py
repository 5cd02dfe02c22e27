"""A model's CheckConstraints evaluated on an unsaved instance in Python, without a query.

Django's `CheckConstraint.validate` asks the database (`SELECT 1 WHERE …`): one query per constraint per
row, which dominated large imports. The conditions of the catalogue's constraints use a handful of
lookups, so they are interpreted here from the very same `Q` objects (the rule stays defined once, in
the model). SQL semantics are kept: a comparison with NULL is unknown, and a CHECK passes unless its
condition is false. A condition this interpreter does not understand falls back to the database.
"""

from __future__ import annotations

import operator
import re

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q, Value
from django.db.models.expressions import CombinedExpression


class Unsupported(Exception):
    """A condition the interpreter does not know; the caller asks the database instead."""


_COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}
_LOOKUPS = {"exact", "isnull", "regex", "in", *_COMPARE}


def constraint_errors(instance) -> dict[str, list[str]]:
    """{constraint name: [message]} for every CheckConstraint of the instance's model it violates."""
    errors = {}
    for constraint in type(instance)._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        try:
            holds = evaluate(constraint.condition, instance) is not False
        except Unsupported:
            try:
                constraint.validate(type(instance), instance)
                holds = True
            except ValidationError:
                holds = False
        if not holds:
            errors[constraint.name] = [str(constraint.get_violation_error_message())]
    return errors


def evaluate(node, instance) -> bool | None:
    """Three-valued (True / False / None = unknown) truth of a Q condition for the instance."""
    if isinstance(node, Q):
        results = [evaluate(child, instance) for child in node.children]
        result = _all(results) if node.connector == Q.AND else _any(results)
        return None if result is None else (not result if node.negated else result)
    if isinstance(node, tuple) and len(node) == 2:
        return _lookup(instance, *node)
    raise Unsupported(repr(node))


def _all(results):
    if False in results:
        return False
    return None if None in results else True


def _any(results):
    if True in results:
        return True
    return None if None in results else False


def _lookup(instance, path: str, expected):
    name, _sep, lookup = path.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup or lookup not in _LOOKUPS:
        raise Unsupported(path)
    value = _field_value(instance, name)
    expected = _value(instance, expected)
    if lookup == "isnull":
        return (value is None) is bool(expected)
    if lookup == "exact" and expected is None:
        return value is None
    if value is None or expected is None:
        return None
    if lookup == "exact":
        return value == expected
    if lookup == "in":
        return value in expected
    if lookup == "regex":
        return re.search(expected, str(value)) is not None
    return _COMPARE[lookup](value, expected)


def _field_value(instance, name: str):
    try:
        return getattr(instance, instance._meta.get_field(name).attname)
    except Exception as exc:  # a relation path or an unknown name
        raise Unsupported(name) from exc


def _value(instance, expression):
    if isinstance(expression, F):
        return _field_value(instance, expression.name)
    if isinstance(expression, Value):
        return expression.value
    if isinstance(expression, CombinedExpression):
        if expression.connector not in _ARITHMETIC:
            raise Unsupported(expression.connector)
        left, right = _value(instance, expression.lhs), _value(instance, expression.rhs)
        return None if left is None or right is None else _ARITHMETIC[expression.connector](left, right)
    if hasattr(expression, "resolve_expression"):
        raise Unsupported(repr(expression))
    return expression
