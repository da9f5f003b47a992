"""Every write of performance evaluation, one module per subdomain: templates and policy rows,
evaluation rounds, third-party commissions, satisfaction surveys."""
