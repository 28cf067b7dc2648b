"""Reading and writing plans: workbooks, the tidy export. No Qt here."""
