"""Hybrid attributes: a name that runs Python on a model instance and builds SQL on the model class.

Only the descriptor protocol is used here; nothing about queries, databases or drivers.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import peewee

__all__ = ["hybrid_method", "hybrid_property"]

# Model aliases hand themselves to the getters of descriptors derived from this marker class,
# so a hybrid read through ``Model.alias()`` builds its expression on the alias.
_Descriptor: type = getattr(peewee, "ModelDescriptor", object)


class hybrid_method(_Descriptor):  # type: ignore[misc,valid-type]
    """A method that runs ``func`` on an instance and ``expr`` (``func`` by default) on the
    class, where its arguments and result are SQL expressions."""

    def __init__(self, func: Callable[..., Any], expr: Optional[Callable[..., Any]] = None) -> None:
        self.func = func
        self.expr = expr or func

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self.expr.__get__(owner, type(owner))
        return self.func.__get__(instance, owner)

    def expression(self, expr: Callable[..., Any]) -> "hybrid_method":
        """Decorator: give the class-level (SQL) form of the method."""
        self.expr = expr
        return self


class hybrid_property(_Descriptor):  # type: ignore[misc,valid-type]
    """A property read with ``fget`` on an instance and with ``expr`` (``fget`` by default) on
    the class, where it gives an SQL expression."""

    def __init__(
        self,
        fget: Callable[[Any], Any],
        fset: Optional[Callable[[Any, Any], None]] = None,
        fdel: Optional[Callable[[Any], None]] = None,
        expr: Optional[Callable[[Any], Any]] = None,
    ) -> None:
        self.fget = fget
        self.fset = fset
        self.fdel = fdel
        self.expr = expr or fget

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self.expr(owner)
        return self.fget(instance)

    def __set__(self, instance: Any, value: Any) -> None:
        if self.fset is None:
            raise AttributeError("Cannot set attribute.")
        self.fset(instance, value)

    def __delete__(self, instance: Any) -> None:
        if self.fdel is None:
            raise AttributeError("Cannot delete attribute.")
        self.fdel(instance)

    def setter(self, fset: Callable[[Any, Any], None]) -> "hybrid_property":
        """Decorator: the function that assigns the property on an instance."""
        self.fset = fset
        return self

    def deleter(self, fdel: Callable[[Any], None]) -> "hybrid_property":
        """Decorator: the function that deletes the property on an instance."""
        self.fdel = fdel
        return self

    def expression(self, expr: Callable[[Any], Any]) -> "hybrid_property":
        """Decorator: the class-level (SQL) form of the property."""
        self.expr = expr
        return self
