"""``make bench``: figures and ratios for speed, memory and AWS calls. Prints; never fails on a figure."""
