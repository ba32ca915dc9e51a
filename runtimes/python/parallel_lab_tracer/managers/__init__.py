"""Manager() objects: the calls learners make on their proxies (see patches/managers.py)."""
