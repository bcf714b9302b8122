"""The names peewee applications import are all present, and ``import *`` exports them."""
import subprocess
import sys

import peewee


def test_every_star_name_exists_and_is_not_a_module():
    import types

    for name in peewee.STAR_NAMES:
        value = getattr(peewee, name)
        assert not isinstance(value, types.ModuleType), name


def test_star_import_gives_the_peewee_names():
    namespace: dict = {}
    exec("from peewee import *", namespace)
    exported = {k for k in namespace if k != "__builtins__"}
    assert exported == set(peewee.STAR_NAMES)


def test_names_imported_explicitly_by_peewee_applications():
    for name in ("Node", "Expression", "Entity", "NodeList", "ModelSelect", "ModelAlias", "fn",
                 "DoesNotExist", "ColumnBase", "Function", "CompoundSelectQuery", "CursorWrapper",
                 "Metadata", "ModelRaw", "sort_models", "query_to_string", "__version__"):
        assert hasattr(peewee, name), name


def test_import_is_cheap_and_has_no_side_effects(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import peewee, os; print(sorted(os.listdir('.')))"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
