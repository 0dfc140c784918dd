"""Pure Block Kit builders for Slack (answers, sources, help, errors, modals, App Home) and their id constants."""
