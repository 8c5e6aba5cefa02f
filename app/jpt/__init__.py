"""Open JPT selection (seleksi terbuka JPT): records, operations, SOP step hooks, Excel import."""
