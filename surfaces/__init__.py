"""The programmatic surfaces' shared core: one facade (ask, query, quotes, feedback, themes, health, tickets)
that REST and MCP both call, viewer-scoped exactly as Slack answers are, and the API tokens that name the viewer."""
