"""Model signals: receivers called before and after an instance is saved or deleted, and when it
is built.  Only ``save()``, ``delete_instance()`` and ``__init__`` send them; queries know nothing
of signals.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Tuple

from peewee import Model as _BaseModel

__all__ = [
    "Model",
    "Signal",
    "post_delete",
    "post_save",
    "pre_delete",
    "pre_init",
    "pre_save",
]


class Signal:
    """An ordered list of receivers, each known by its ``(name, sender)`` pair."""

    def __init__(self) -> None:
        self._flush()

    def _flush(self) -> None:
        self._keys: set = set()
        self._receiver_list: List[Tuple[str, Callable[..., Any], Any]] = []

    def connect(
        self, receiver: Callable[..., Any], name: Optional[str] = None, sender: Any = None
    ) -> None:
        """Call ``receiver(sender_class, instance, ...)`` on every send; with ``sender``, only for
        instances of that model class.  ``name`` defaults to the receiver's ``__name__``."""
        name = name or receiver.__name__
        key = (name, sender)
        if key in self._keys:
            raise ValueError(
                "receiver named %s (for sender=%s) already connected" % (name, sender or "any")
            )
        self._keys.add(key)
        self._receiver_list.append((name, receiver, sender))

    def disconnect(
        self,
        receiver: Optional[Callable[..., Any]] = None,
        name: Optional[str] = None,
        sender: Any = None,
    ) -> None:
        """Remove the receiver connected under ``(name, sender)``; the name defaults to the
        receiver's ``__name__``."""
        if receiver is not None:
            name = name or receiver.__name__
        if not name:
            raise ValueError("a receiver or a name must be provided")
        key = (name, sender)
        if key not in self._keys:
            raise ValueError(
                "receiver named %s for sender=%s not found." % (name, sender or "any")
            )
        self._keys.discard(key)
        self._receiver_list = [
            entry for entry in self._receiver_list if (entry[0], entry[2]) != key
        ]

    def __call__(
        self, name: Optional[str] = None, sender: Any = None
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator form of :meth:`connect`; returns the function unchanged."""

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.connect(fn, name, sender)
            return fn

        return decorator

    def send(self, instance: Any, *args: Any, **kwargs: Any) -> List[Tuple[Callable[..., Any], Any]]:
        """Call the receivers that accept ``instance``, in the order they were connected; returns
        ``[(receiver, return value), ...]``."""
        sender = type(instance)
        responses = []
        for _name, receiver, wanted in self._receiver_list:
            if wanted is None or isinstance(instance, wanted):
                responses.append((receiver, receiver(sender, instance, *args, **kwargs)))
        return responses


pre_save = Signal()
post_save = Signal()
pre_delete = Signal()
post_delete = Signal()
pre_init = Signal()


class Model(_BaseModel):
    """A model whose instances send ``pre_init``, ``pre_save`` / ``post_save`` and
    ``pre_delete`` / ``post_delete``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pre_init.send(self)

    def save(self, force_insert: bool = False, only: Any = None) -> Any:
        pk_value = self._pk if self._meta.primary_key else True
        created = force_insert or not bool(pk_value)
        pre_save.send(self, created=created)
        result = super().save(force_insert, only)
        post_save.send(self, created=created)
        return result

    def delete_instance(self, *args: Any, **kwargs: Any) -> Any:
        pre_delete.send(self)
        result = super().delete_instance(*args, **kwargs)
        post_delete.send(self)
        return result
