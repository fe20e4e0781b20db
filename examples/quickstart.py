"""Quickstart: build a delayed Jansen-Rit network, simulate 2 s, print a summary, save quickstart.png.

    python examples/quickstart.py [--nodes 8] [--duration 2000] [--png quickstart.png]
"""
from tcmcompose.demo import main

if __name__ == "__main__":
    raise SystemExit(main())
