"""Sphinx configuration: API pages from the docstrings, narrative pages, example figures run at build time.

Build with ``python -m sphinx -W -b html docs docs/_build/html`` (``pip install ".[docs]"``).
``TCMCOMPOSE_DOCS_EXAMPLES=0`` skips running the examples, ``quick`` runs the first three (as CI
does), the default runs all of them (about 15 minutes from a cold cache on 2 cores).
"""
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import tcmcompose  # noqa: E402

project = "tcmcompose"
author = "tcmcompose authors"
release = version = tcmcompose.__version__
extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.mathjax", "sphinx.ext.viewcode",
              "build_pages"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = []
nitpicky = False
suppress_warnings = ["autodoc.import_object"]
