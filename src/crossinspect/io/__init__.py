"""Reading input workbooks and writing rosters; no solver code lives here."""
