"""The SQL expression tree, its compiler and the table-level query builder (no models)."""

from .nodes import *  # noqa: F401,F403
from .context import *  # noqa: F401,F403
from .cursor import *  # noqa: F401,F403
from .query import *  # noqa: F401,F403
from .write import *  # noqa: F401,F403
from . import (
    nodes as _nodes,
    context as _context,
    cursor as _cursor,
    query as _query,
    write as _write,
)

__all__ = _nodes.__all__ + _context.__all__ + _cursor.__all__ + _query.__all__ + _write.__all__
