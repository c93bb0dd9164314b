"""Lab runs: bench files, leases, health checks, scheduling over pytest-xdist, nightly history and reports."""
