"""API of performance evaluation: published results (public), the anonymous survey answer
(public), evaluation rounds and their actions, indicator templates. Same selectors, services and
rules as the pages (govbuy/performance/)."""
