"""Database classes per backend (connections, introspection, driver specifics)."""
from .sqlite import *  # noqa: F401,F403
from .postgres import *  # noqa: F401,F403
from .mysql import *  # noqa: F401,F403
