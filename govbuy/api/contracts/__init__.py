"""API of contracts: the same screens, rules and scope as govbuy.contracts' pages."""
