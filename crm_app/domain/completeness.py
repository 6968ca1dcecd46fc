"""客户信息完整率: what a complete customer record has.

Each check is a bit of the number kept on every customer (`completeness`), so the report counts the checks of a
million customers from one narrow index instead of reading each record and its contacts.
"""

from typing import Protocol

CONTACTS = "contacts"

# (name, label, fields that must all be filled; CONTACTS stands for at least one contact row), bit 0 first
CHECKS = (
	("mobile", "Mobile No", ("mobile_no",)),
	("email", "Email", ("email_id",)),
	("address", "Province and City", ("province", "city")),
	("industry", "Industry", ("industry",)),
	("channel", "Source Channel", ("source_channel",)),
	("contacts", "Contacts", (CONTACTS,)),
)


class Record(Protocol):
	def get(self, key: str, default=None): ...


def bits() -> list[tuple[str, str, int]]:
	"""(name, label, bit) of each check."""
	return [(name, label, 1 << index) for index, (name, label, _fields) in enumerate(CHECKS)]


def completeness(customer: Record) -> int:
	"""The bits of the checks a customer (a document or a dict, with its `contacts` rows) meets."""
	return sum(
		1 << index
		for index, (_name, _label, fields) in enumerate(CHECKS)
		if all(customer.get(field) for field in fields)
	)


def completeness_sql(customer: str, contact_table: str) -> str:
	"""The same number in SQL, for the customer row aliased `customer` and its contacts in `contact_table`."""
	terms = []
	for index, (_name, _label, fields) in enumerate(CHECKS):
		filled = [
			f"exists (select 1 from {contact_table} contact where contact.parent = {customer}.name "
			"and contact.parenttype = 'CRM Customer')"
			if field == CONTACTS
			else f"ifnull({customer}.`{field}`, '') != ''"
			for field in fields
		]
		terms.append(f"if({' and '.join(filled)}, {1 << index}, 0)")
	return " + ".join(terms)
