"""Helpers for ssblab's own tests and benchmarks (not needed to use ssblab).

:mod:`ssblab.testing.postgres` starts a throwaway PostgreSQL server from the locally installed
binaries, so the workspace's PostgreSQL code runs against a real server, not a mock.
"""
