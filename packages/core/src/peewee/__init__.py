"""peewee: a small, expressive ORM.

Every room of the package defines ``__all__`` with its public names; they are all importable from
``peewee``.  ``from peewee import *`` exports the names peewee applications rely on (``STAR_NAMES``).
"""
from .errors import *  # noqa: F401,F403
from .sql import *  # noqa: F401,F403
from .dialects import *  # noqa: F401,F403
from .database import *  # noqa: F401,F403
from .transactions import *  # noqa: F401,F403
from .backends import *  # noqa: F401,F403
from .fields import *  # noqa: F401,F403
from .json_field import *  # noqa: F401,F403
from .metadata import *  # noqa: F401,F403
from .relations import *  # noqa: F401,F403
from .model import *  # noqa: F401,F403
from .schema import *  # noqa: F401,F403
from .model_query import *  # noqa: F401,F403
from .results import *  # noqa: F401,F403
from .prefetch import *  # noqa: F401,F403
from .eager import *  # noqa: F401,F403
from ._compat import *  # noqa: F401,F403
from ._compat import __date_parts__, __deprecated__, __mysql_date_trunc__  # noqa: F401
from ._compat import __sqlite_date_trunc__, __sqlite_datetime_formats__  # noqa: F401
from ._compat import __sqlite_version__  # noqa: F401
from ._compat import _LAZY_DRIVER_NAMES as _LAZY_NAMES, lazy_driver_name as _lazy_driver_name
from .relations import _m2m_query_class

#: The query class behind ``instance.<many-to-many field>`` (with ``add``/``remove``/``clear``).
ManyToManyQuery = _m2m_query_class(ModelSelect)  # noqa: F405

__version__ = "4.0.0"

STAR_NAMES = (
    "AnyField", "AsIs", "AutoField", "BareField", "BigAutoField", "BigBitField", "BigIntegerField",
    "BinaryUUIDField", "BitField", "BlobField", "BooleanField", "Case", "Cast", "CharField", "Check",
    "chunked", "Column", "CompositeKey", "Context", "Database", "DatabaseError", "DatabaseProxy",
    "DataError", "DateField", "DateTimeField", "DecimalField", "DeferredForeignKey",
    "Default", "DeferredThroughModel", "DJANGO_MAP", "DoesNotExist", "DoubleField", "DQ", "Entity", "EXCLUDED", "Field",
    "FixedCharField", "FloatField", "fn", "ForeignKeyField", "IdentityField", "ImproperlyConfigured",
    "Index", "IntegerField", "IntegrityError", "InterfaceError", "InternalError", "IPField", "JOIN", "JSONField", "Load",
    "ManyToManyField", "Model", "ModelIndex", "MySQLDatabase", "NotSupportedError", "OP",
    "OperationalError", "PostgresqlDatabase", "PrimaryKeyField", "prefetch", "PREFETCH_TYPE",
    "ProgrammingError", "Proxy", "QualifiedNames", "QueryEvent", "SchemaManager", "SmallIntegerField", "Select",
    "SQL", "SqliteDatabase", "Table", "TextField", "TimeField", "TimestampField", "Tuple", "UUIDField",
    "Value", "ValuesList", "Window",
)

__all__ = list(STAR_NAMES)


def __getattr__(name: str) -> object:
    """Optional driver objects (``psycopg``, ``Json_pg2``, ...), imported on first use."""
    if name in _LAZY_NAMES:
        value = _lazy_driver_name(name)
        globals()[name] = value
        return value
    raise AttributeError("module 'peewee' has no attribute %r" % name)


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY_NAMES))


def _present_public_names_as_peewee() -> None:
    """Give public classes and functions the module name ``peewee``, as applications see them.

    Reprs, tracebacks and pickles then say ``peewee.IntegrityError`` rather than naming the
    internal module the class happens to live in.
    """
    import types

    for name, value in list(globals().items()):
        if name.startswith("_") or getattr(value, "__name__", None) != name:
            continue
        if isinstance(value, (type, types.FunctionType)) and str(
            getattr(value, "__module__", "")
        ).startswith("peewee."):
            value.__module__ = "peewee"


_present_public_names_as_peewee()
