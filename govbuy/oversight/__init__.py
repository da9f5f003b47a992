"""Oversight: what the finance bureaus, the audit office and the supervision office do with the
processes they read (issue 15). Monitoring cases (Prozorro-style): a body opens a case on a
tender with its reasons, asks the purchaser questions with a deadline in working days, records a
conclusion, and closes the case once a violation is remedied. The app sits at the top: it reads
every app below it and nothing imports it."""
