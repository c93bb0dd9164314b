"""The driver protocol every platform implements, and the platform-free records drivers return."""
