"""The assessment plan (rencana penilaian, the Polhukam plan SOP): records of the plan, operations, SOP hooks."""
