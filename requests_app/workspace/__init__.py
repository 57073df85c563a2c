"""The DPO workspace: sign-in with two factors, the queue, the request page,
reminders and the dashboard."""
