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
from .metadata import *  # noqa: F401,F403
from .relations import *  # noqa: F401,F403
from .model import *  # noqa: F401,F403
from .schema import *  # noqa: F401,F403
from .model_query import *  # noqa: F401,F403
from .results import *  # noqa: F401,F403
from .prefetch import *  # noqa: F401,F403

__version__ = "4.0.0"

STAR_NAMES = (
    "AnyField", "AsIs", "AutoField", "BareField", "BigAutoField", "BigBitField", "BigIntegerField",
    "BinaryUUIDField", "BitField", "BlobField", "BooleanField", "Case", "Cast", "CharField", "Check",
    "chunked", "Column", "CompositeKey", "Context", "Database", "DatabaseError", "DatabaseProxy",
    "DataError", "DateField", "DateTimeField", "DecimalField", "DeferredForeignKey",
    "Default", "DeferredThroughModel", "DJANGO_MAP", "DoesNotExist", "DoubleField", "DQ", "Entity", "EXCLUDED", "Field",
    "FixedCharField", "FloatField", "fn", "ForeignKeyField", "IdentityField", "ImproperlyConfigured",
    "Index", "IntegerField", "IntegrityError", "InterfaceError", "InternalError", "IPField", "JOIN",
    "ManyToManyField", "Model", "ModelIndex", "MySQLDatabase", "NotSupportedError", "OP",
    "OperationalError", "PostgresqlDatabase", "PrimaryKeyField", "prefetch", "PREFETCH_TYPE",
    "ProgrammingError", "Proxy", "QualifiedNames", "SchemaManager", "SmallIntegerField", "Select",
    "SQL", "SqliteDatabase", "Table", "TextField", "TimeField", "TimestampField", "Tuple", "UUIDField",
    "Using", "Value", "ValuesList", "Window",
)

__all__ = list(STAR_NAMES)
