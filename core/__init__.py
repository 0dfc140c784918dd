"""The Groundswell domain: pure Python, imports no other project package."""
