"""The adb layer: the adb binary and servers, the server's wire protocol, connecting and probing devices."""
