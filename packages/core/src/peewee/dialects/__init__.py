"""What differs per backend: quoting, placeholders, column types, operators, SQL forms."""

from .base import *  # noqa: F401,F403
from .sqlite import *  # noqa: F401,F403
from .postgres import *  # noqa: F401,F403
from .mysql import *  # noqa: F401,F403
from . import base as _base, sqlite as _sqlite, postgres as _postgres, mysql as _mysql

__all__ = _base.__all__ + _sqlite.__all__ + _postgres.__all__ + _mysql.__all__
