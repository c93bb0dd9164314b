"""Platform drivers: everything that knows one operating system's commands and output formats."""
