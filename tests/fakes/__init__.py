"""Protocol-faithful fakes of external services: real HTTP servers on 127.0.0.1 that check requests against the
official specs; one module per service."""
