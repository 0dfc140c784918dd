"""The demo corpus: a deterministic, realistic multi-source dataset for a fictional B2B SaaS company."""
