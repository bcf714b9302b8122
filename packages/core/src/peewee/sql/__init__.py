"""The SQL expression tree, its compiler and the table-level query builder (no models)."""
from .nodes import *  # noqa: F401,F403
from .context import *  # noqa: F401,F403
from .query import *  # noqa: F401,F403
from .cursor import *  # noqa: F401,F403
