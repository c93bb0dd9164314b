"""A virtual Vega OS device (Linux, Fire TV's newer OS): the Vega personality behind the same adbd."""
