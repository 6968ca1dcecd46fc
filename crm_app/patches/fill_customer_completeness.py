import frappe

from crm_app.domain.completeness import completeness_sql

CHUNK = 50_000


def execute():
	"""Keep on every customer the completeness checks it meets, which 客户信息完整率 now reads, a range of
	customers per transaction."""
	names = frappe.db.sql_list("select name from `tabCRM Customer` order by name")
	for start in range(0, len(names), CHUNK):
		chunk = names[start : start + CHUNK]
		frappe.db.sql(
			f"""update `tabCRM Customer` c set c.completeness = {completeness_sql("c", "`tabCRM Customer Contact`")}
			where c.name between %s and %s""",
			(chunk[0], chunk[-1]),
		)
		frappe.db.commit()
