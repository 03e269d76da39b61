"""`@record` behaves as `@dataclass(frozen=True)` does wherever the code relies on it."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from ics_rules.record import record


@record
class Base:
    """A base with keyword-only bookkeeping fields, as the rules language's `Expr` has."""

    where: int = dataclasses.field(kw_only=True, default=0, compare=False)


@record
class Leaf(Base):
    name: str
    items: tuple[int, ...] = ()
    notes: list[str] = dataclasses.field(default_factory=list, repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class TwinBase:
    where: int = dataclasses.field(kw_only=True, default=0, compare=False)


@dataclasses.dataclass(frozen=True)
class Twin(TwinBase):
    """`Leaf` as a frozen dataclass, to compare with."""

    name: str
    items: tuple[int, ...] = ()
    notes: list[str] = dataclasses.field(default_factory=list, repr=False, compare=False)


def test_fields_defaults_and_keywords() -> None:
    a = Leaf("x", (1,), where=3)
    assert (a.name, a.items, a.notes, a.where) == ("x", (1,), [], 3)
    assert [f.name for f in dataclasses.fields(Leaf)] == [f.name for f in dataclasses.fields(Twin)]
    assert Leaf("x").notes is not Leaf("x").notes  # a fresh default per instance
    assert list(vars(a)) == ["where", "name", "items", "notes"]


def test_equality_and_hash_skip_compare_false_fields() -> None:
    assert Leaf("x", where=1) == Leaf("x", where=2)
    assert hash(Leaf("x", (1, 2), where=1)) == hash(Leaf("x", (1, 2), where=9))
    assert Leaf("x") != Leaf("y")
    assert Leaf("x") != Twin("x")  # another class is never equal
    assert {Leaf("x", (1,)), Leaf("x", (1,))} == {Leaf("x", (1,))}


def test_repr_matches_a_frozen_dataclass() -> None:
    assert repr(Leaf("x", (1,), where=2)) == repr(Twin("x", (1,), where=2)).replace("Twin", "Leaf")


def test_frozen_but_replace_works() -> None:
    a = Leaf("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.name = "y"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.name
    b = dataclasses.replace(a, name="y", where=5)
    assert (b.name, b.where, a.name) == ("y", 5, "x")
    assert pickle.loads(pickle.dumps(b)) == b


@pytest.mark.parametrize(("args", "kwargs", "words"), [
    (("x", (), [], 4), {}, "takes 3 positional arguments but 4 were given"),
    ((), {}, "missing required argument 'name'"),
    (("x",), {"name": "y"}, "multiple values for argument 'name'"),
    (("x",), {"colour": 1}, "unexpected keyword argument 'colour'"),
    (("x", (), [], ), {"where": 1, "wher": 2}, "unexpected keyword argument 'wher'"),
])
def test_wrong_arguments_are_type_errors(args: tuple, kwargs: dict, words: str) -> None:
    with pytest.raises(TypeError, match=words):
        Leaf(*args, **kwargs)


def test_the_rules_language_tree_is_made_of_records() -> None:
    """Every class of the tree and of the types is a record: none pays for generated code."""
    from ics_rules import schema
    from ics_rules.dsl import ast

    for module in (ast, schema):
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and \
                    value.__module__ == module.__name__:
                assert value.__setattr__ is not object.__setattr__, value
                assert value.__init__.__qualname__.startswith("_init."), value
