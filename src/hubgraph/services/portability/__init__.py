"""Moving a portal's data: snapshots, export/import, seed files, bulk loading."""
