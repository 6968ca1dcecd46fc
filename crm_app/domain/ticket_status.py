"""A ticket's statuses, as its workflow (crm_app/workflows/crm_ticket_status.json) moves it, and why its clock
stands still in a pause."""

NEW, IN_PROGRESS, WAITING, RESOLVED, CLOSED = (
	"New",
	"In Progress",
	"Waiting on Customer",
	"Resolved",
	"Closed",
)
OPEN_STATUSES = (NEW, IN_PROGRESS, WAITING)
DONE = (RESOLVED, CLOSED)
WAITING_REASON, RESOLVED_REASON = WAITING, RESOLVED
