"""Services: every change to register data, each writing its audit event in the same transaction; never commit."""
