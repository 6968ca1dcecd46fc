from frappe.model.document import Document


class CRMTicketPause(Document):
	# begin: auto-generated types
	# end: auto-generated types

	pass
