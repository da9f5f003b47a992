"""Every write of planning, one module per subdomain: proposals (a project proposed and edited), reviews (the
project's transitions), budget_lines (lines, imports, the public-tender threshold) and annual_plans (the
annual plan's publication).

Money on a budget line moves only under that line's row lock (select_for_update), so 40 parallel
proposals on one line can never commit more than it holds; the database CHECK
`committed <= amount` backs the lock. Every change writes its audit event in the same transaction.
`actor=None` is the system (the demo loader)."""
