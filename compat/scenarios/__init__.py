"""Hand-written scenarios, written once against the peewee API and run under both implementations.

Each scenario is ``func(db, obs)``: ``db`` is an unconnected database of the backend under test and
``obs`` a ``compat.recorder.Recorder``; every statement executed is recorded on its own.
"""
