"""Database classes per backend (connections, introspection, driver specifics)."""
from . import mysql as _mysql, postgres as _postgres, sqlite as _sqlite
from .mysql import *  # noqa: F401,F403
from .postgres import *  # noqa: F401,F403
from .sqlite import *  # noqa: F401,F403

__all__ = _sqlite.__all__ + _postgres.__all__ + _mysql.__all__
