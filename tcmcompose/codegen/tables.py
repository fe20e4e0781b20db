"""Tables of a built model: which group reads which table, and the parameter-vector tail.

Every group (distinct mass) reads its tables (see :func:`tables_of`) through
``table_eval(p, g, j, ...)`` in the generated code; the values are appended
to the parameter vector by :func:`pack` on every run, so they are data.
"""
import numpy as np

from ..errors import ModelError
from ..masses.table import Table, tables_of


class ModelTables:
    """The tables of a lowered model: ``model.tables[key]`` with key
    ``"<mass name>.<table name>"`` (one table per group, shared by its
    instances)."""

    def __init__(self, lowered):
        self._groups = []                  # per group: list of keys, in the kernel's order j
        self._tables = {}
        for g in lowered.groups:
            keys = []
            for t in tables_of(g.mass):
                key = f"{g.mass.name}.{t.name}"
                ref = t.digest()
                for k, label, inst in g.members:
                    mine = {u.name: u for u in tables_of(inst)}.get(t.name)
                    if mine is not None and mine is not t and mine.digest() != ref:
                        raise ModelError(
                            f"instances of mass {g.mass.name!r} use different tables {t.name!r} "
                            f"(node {lowered.node_labels[k]!r}, {label!r}); the instances of one mass "
                            "share its tables: give the other mass its own name (mass.copy(name=...)) "
                            "or set the table on the built model (model.set_table).")
                keys.append(key)
                self._tables[key] = t
            self._groups.append(keys)
        self._tail = None

    def __bool__(self):
        return bool(self._tables)

    def keys(self):
        return self._tables.keys()

    def __getitem__(self, key):
        try:
            return self._tables[key]
        except KeyError:
            raise ModelError(f"no table {key!r}; tables: {list(self._tables)}") from None

    def __contains__(self, key):
        return key in self._tables

    def items(self):
        return self._tables.items()

    def set(self, key, table=None, values=None):
        """Replace a table by another :class:`Table` or by new ``values`` on the
        same grid. The grid's dimensions must stay (the kernels' shape does not
        depend on them, but the twin checks and users rely on it)."""
        old = self[key]
        new = old.with_values(values) if table is None else table
        if not isinstance(new, Table):
            raise ModelError(f"set_table({key!r}): give a tc.Table or values=, got {type(new).__name__}.")
        if new.ndim != old.ndim:
            raise ModelError(f"set_table({key!r}): the table has {old.ndim} argument(s), the new one {new.ndim}.")
        if new.name != old.name:
            new = Table(new.axes, new.values, new.method, new.outside, old.name)
        self._tables[key] = new
        self._tail = None

    def tail(self):
        """The tail appended to the parameter vector (see ``table_kernel``)."""
        if self._tail is None:
            blocks = [self._tables[k].block() for keys in self._groups for k in keys]
            starts = np.cumsum([0] + [b.size for b in blocks])
            n_data = int(starts[-1])
            dirs, pos, b = [], n_data, 0
            group_dir = []
            for keys in self._groups:
                if keys:
                    group_dir.append(pos)
                    dirs.append(starts[b:b + len(keys)].astype(float))
                    pos += len(keys)
                    b += len(keys)
                else:
                    group_dir.append(-1)
            self._tail = (blocks, dirs, group_dir)
        return self._tail

    def pack(self, ext_size):
        """Tail for a parameter vector whose first ``ext_size`` entries are the
        base and derived parameters (absolute positions)."""
        blocks, dirs, group_dir = self.tail()
        if not self._tables:
            return np.zeros(0)
        offset = ext_size
        parts = blocks + [d + offset for d in dirs]
        ends = [float(g + offset) if g >= 0 else -1.0 for g in group_dir][::-1]
        return np.concatenate(parts + [np.array(ends)])

    def numpy_namespace(self, mass):
        """Names -> NumPy functions for lambdify (the reference twin) of ``mass``'s
        table calls, reading this model's current tables."""
        ns = {}
        for t in tables_of(mass):
            current = self._tables[f"{mass.name}.{t.name}"]
            for orders, cls in list(t._classes.items()):
                ns[cls.__name__] = (lambda cur, o: lambda *a: cur.evaluate(*a, orders=o))(current, orders)
        return ns
