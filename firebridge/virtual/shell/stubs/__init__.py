"""Programs that run INSIDE the device sandbox (data files, never imported by the host side)."""
