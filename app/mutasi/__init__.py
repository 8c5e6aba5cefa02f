"""Transfer-in applications (mutasi masuk, seed SOP 0): operations, SOP hooks and step outputs (its demo
work: app/demo/mutasi.py)."""
