# tests/tools/termcols.py -- the terminal's width, and a list of names in
# columns: shared by the classroom tools that print wide output
# (cc-compare.py, trace-compare.py).
import os
import shutil
import sys


def columns():
    """The width to print for: $COLUMNS if set, the terminal's, else 80."""
    c = os.environ.get("COLUMNS", "")
    if c.isdigit() and int(c) > 0:
        return int(c)
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def print_columns(names, out):
    """names, left-aligned in as many columns as the width holds."""
    width = max((len(n) for n in names), default=0) + 2
    cols = max(1, (columns() - 2) // width)
    for i in range(0, len(names), cols):
        print("  " + "".join(n.ljust(width) for n in names[i:i + cols]).rstrip(), file=out)
