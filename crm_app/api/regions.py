import frappe

from crm_app.domain.regions import region_options


@frappe.whitelist(methods=["GET", "POST"])
def get_region_options(
	province: str | None = None, city: str | None = None, txt: str | None = None
) -> list[str]:
	"""Provinces, the cities of a province, or the districts of a city, narrowed to what was typed. Read-only;
	POST too, since the desk's pickers ask with POST."""
	return region_options(province, city, txt)
