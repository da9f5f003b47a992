"""Every read of procurement, scoped to the user, by stage: `tendering` (tenders, bids, projects),
`panels` (evaluation, awards, challenges), `questions` (clarifications, invitations) and
`follow_ups` (the award stage's home to-do lists)."""
