"""Master data: civil servants, work units, positions, ranks and agencies (models: app/models/master.py;
screens: app/views/master.py). Its state changes are in operations.py, one function per verb."""
