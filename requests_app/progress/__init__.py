"""Live progress of the work running for a request (the request page and the queue)."""
