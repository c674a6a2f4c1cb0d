"""The lab workspace: samples, cells, measurements and analyses in a database.

``Workspace.init(path)`` creates a workspace (an SQLite catalogue with Parquet arrays under
``path``, or a PostgreSQL catalogue with ``database_url``); ``Workspace.open(path)`` opens one
and migrates an older schema. ``ingest`` stores a folder's files once each, ``analyse`` runs
what is missing or stale (serially, on a process pool or on Dask), ``query`` returns tables,
``export_bdf`` writes Battery Data Format files. Modules: :mod:`.schema` (tables),
:mod:`.store` (the workspace, integrity checks), :mod:`.arrays` (Parquet files),
:mod:`.samples` (samples.csv), :mod:`.readers` and :mod:`.ingest`, :mod:`.analyse`,
:mod:`.query`, :mod:`.bdf`.
"""

from ssblab.workspace.store import Workspace, WorkspaceError

__all__ = ["Workspace", "WorkspaceError"]
