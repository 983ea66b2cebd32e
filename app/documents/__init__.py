"""Files attached to a case or a task: sniffed, stored outside the database, hashed into the event log."""
