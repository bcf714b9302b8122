"""Differential compatibility harness: the same scenarios run under peewee 4.5.3 and under this
project, each in its own interpreter, and their SQL, parameters and results are compared.

``python -m compat.run --help`` (or ``nox -s compat``) runs it; spec/compatibility.rst describes it.
"""
