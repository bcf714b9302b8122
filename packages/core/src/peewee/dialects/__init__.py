"""What differs per backend: quoting, placeholders, column types, operators, SQL forms."""
from .base import *  # noqa: F401,F403
from .sqlite import *  # noqa: F401,F403
from .postgres import *  # noqa: F401,F403
from .mysql import *  # noqa: F401,F403
