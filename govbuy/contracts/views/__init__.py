"""Staff pages of contracts: `staff` for the list, the detail and downloads, `actions` for the
forms that call one service each."""
