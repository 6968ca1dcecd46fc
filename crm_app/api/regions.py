import frappe

from crm_app.domain.regions import cities, districts, provinces


@frappe.whitelist(methods=["GET"])
def get_region_options(province: str | None = None, city: str | None = None) -> list[str]:
	"""Provinces, the cities of a province, or the districts of a city."""
	if province and city:
		return districts(province, city)
	if province:
		return cities(province)
	return provinces()
