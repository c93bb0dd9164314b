"""The device side of the adb wire protocol: packets, authentication, streams and the services a host opens."""
