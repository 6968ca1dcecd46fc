from frappe.model.document import Document


class CRMServiceTeamMember(Document):
	# begin: auto-generated types
	# end: auto-generated types

	pass
