"""Row permissions for every CRM record: sales users see their own, managers their team's, admins everything.

Lists, reports, link search and exports go through `get_permission_query_conditions`; single documents through
`has_permission`. Both use `get_visible_owners`, so they cannot drift apart. Records without an owner are in the
public pool and visible to every CRM user. Records published to audiences (knowledge articles) are seen in full
by those who may write them, published by other desk users, and published to the public by everyone else.
Records shared with the user are in reach for both.

The same builder serves Frappe's side tables (File, Comment, Version, ToDo…): a row naming a CRM record is seen
by those who may see that record (`reference_conditions`, `has_reference_permission`).
"""

import frappe
from frappe import _
from frappe.utils import escape_html, get_fullname, now_datetime

from crm_app.defaults import ADMIN_ROLES, MANAGER_ROLE, ROLES_SEEING_ALL, SALES_ROLES, SERVICE_ROLES
from crm_app.teams.doctype.crm_sales_team.crm_sales_team import users_led_by


def owner_fields() -> dict[str, str]:
	"""{DocType: the field naming its owner} for every owned DocType (`crm_owner_fields`)."""
	return {doctype: fields[-1] for doctype, fields in frappe.get_hooks("crm_owner_fields", {}).items()}


def owner_field(doctype: str) -> str | None:
	return owner_fields().get(doctype)


def linked_fields(doctype: str) -> dict[str, str]:
	"""{fieldname: target DocType} for records whose visibility follows the records they link to."""
	links = frappe.get_hooks("crm_linked_doctypes", {}).get(doctype) or {}
	return {field: targets[-1] for field, targets in links.items()}


def owner_copies(doctype: str) -> dict[str, str]:
	"""{link field: the field holding a copy of the linked record's owner} (`crm_owner_copies`)."""
	return {
		field: copies[-1]
		for field, copies in (frappe.get_hooks("crm_owner_copies", {}).get(doctype) or {}).items()
	}


def fill_owner_copies(doc, method=None) -> None:
	"""A record's copies of the owners of the records it links to, taken as it is saved."""
	for field, copy in owner_copies(doc.doctype).items():
		target = linked_fields(doc.doctype)[field]
		value = doc.get(field)
		doc.set(copy, frappe.db.get_value(target, value, owner_field(target)) if value else None)


def copies_of(target: str) -> list[tuple[str, str, str]]:
	"""(DocType, link field, copy field) of every copy of the owner of `target` records."""
	return [
		(doctype, field, copies[-1])
		for doctype, fields in frappe.get_hooks("crm_owner_copies", {}).items()
		for field, copies in fields.items()
		if linked_fields(doctype)[field] == target
	]


def refresh_owner_copies(target: str, names: list[str]) -> None:
	"""After the owner of the `target` records `names` changed: the rows linking to them copy the new owner, one
	statement per copy."""
	for doctype, field, copy in copies_of(target) if names else ():
		frappe.db.sql(
			f"""update `tab{doctype}` row join `tab{target}` linked on linked.name = row.`{field}`
			set row.`{copy}` = linked.`{owner_field(target)}` where row.`{field}` in %(names)s""",
			{"names": tuple(names)},
		)


def set_owner_copies(target: str, names: list[str], owner: str | None) -> None:
	"""After the `target` records `names` all passed to `owner` (None: the pool): the rows linking to them copy
	it, without reading the records again."""
	for doctype, field, copy in copies_of(target) if names else ():
		frappe.db.sql(
			f"update `tab{doctype}` set `{copy}` = %(owner)s where `{field}` in %(names)s",
			{"owner": owner, "names": tuple(names)},
		)


def refresh_copies_of_owner(doc, method=None) -> None:
	"""A saved record whose owner changed passes it to the copies on the records linking to it."""
	if (field := owner_field(doc.doctype)) and not doc.flags.in_insert and doc.has_value_changed(field):
		refresh_owner_copies(doc.doctype, [doc.name])


def people_fields(doctype: str) -> list[str]:
	return frappe.get_hooks("crm_people_doctypes", {}).get(doctype) or []


def service_fields(doctype: str) -> dict[str, str] | None:
	"""{"team": its service team field, "agent": its agent field, "customer": its customer field} of a DocType
	handled by service teams (`crm_service_doctypes`), or None."""
	fields = frappe.get_hooks("crm_service_doctypes", {}).get(doctype)
	return {key: values[-1] for key, values in fields.items()} if fields else None


def service_teams_of(user: str) -> list[str]:
	"""The service teams the user manages or works in."""
	member, team = frappe.qb.DocType("CRM Service Team Member"), frappe.qb.DocType("CRM Service Team")
	return sorted(
		{
			*frappe.qb.from_(member)
			.select(member.parent)
			.where((member.user == user) & (member.parenttype == "CRM Service Team"))
			.run(pluck=True),
			*frappe.qb.from_(team).select(team.name).where(team.manager == user).run(pluck=True),
		}
	)


def sees_every_service_record(doctype: str, user: str) -> bool:
	if user == "Administrator":
		return True
	roles = frappe.get_roles(user)
	return any(role in roles for role in ADMIN_ROLES) or any(
		doctype in ROLES_SEEING_ALL.get(role, ()) for role in roles
	)


def service_condition(doctype: str, user: str, shares: "SharedDocTypes") -> str | None:
	"""SQL keeping the service records the user may see, or None for all of them: the service desk sees those
	of its teams, those it handles and the queue no team has taken yet; the sales side reads those about the
	customers in its reach."""
	if sees_every_service_record(doctype, user):
		return None
	fields, roles, table = service_fields(doctype), set(frappe.get_roles(user)), f"`tab{doctype}`"
	branches = []
	if roles & set(SERVICE_ROLES):
		team, agent = f"{table}.`{fields['team']}`", f"{table}.`{fields['agent']}`"
		teams = [frappe.db.escape(name) for name in service_teams_of(user)]
		in_teams = f" or {team} in ({', '.join(teams)})" if teams else ""
		branches.append(f"(ifnull({team}, '') = ''{in_teams} or {agent} = {frappe.db.escape(user)})")
	if roles & set(SALES_ROLES):
		column = f"{table}.`{fields['customer']}`"
		if (reach := link_in_reach(column, "CRM Customer", user, shares)) is None:
			return None
		branches.append(reach)
	return f"({' or '.join(branches)})" if branches else "false"


def service_record_visible(doc, ptype: str | None, user: str) -> bool:
	"""`service_condition` for one record; a change is judged by the team and agent it has stored, so no one
	gains a record by writing their own team into it."""
	if sees_every_service_record(doc.doctype, user):
		return True
	fields, roles = service_fields(doc.doctype), set(frappe.get_roles(user))
	team, agent = doc.get(fields["team"]), doc.get(fields["agent"])
	if ptype not in (None, "read"):
		team, agent = frappe.db.get_value(doc.doctype, doc.name, [fields["team"], fields["agent"]]) or (
			None,
			None,
		)
	if roles & set(SERVICE_ROLES) and (not team or agent == user or team in service_teams_of(user)):
		return True
	customer = doc.get(fields["customer"])
	return bool(
		roles & set(SALES_ROLES)
		and customer
		and frappe.has_permission("CRM Customer", "read", doc=customer, user=user)
	)


def portal_page(doctype: str) -> dict | None:
	"""{"customer": field, "route": page, "title": label, "shown": {field: values}} of a DocType customers read
	in the portal (`crm_portal_doctypes`), or None."""
	page = frappe.get_hooks("crm_portal_doctypes", {}).get(doctype)
	if not page:
		return None
	return {
		**{key: values[-1] for key, values in page.items() if key != "shown"},
		"shown": page.get("shown") or {},
	}


def portal_field(doctype: str) -> str | None:
	"""The field naming the customer of a DocType that customers read in the portal."""
	return page["customer"] if (page := portal_page(doctype)) else None


def is_portal_user(user: str) -> bool:
	return user != "Guest" and frappe.get_cached_value("User", user, "user_type") == "Website User"


def portal_customers(user: str) -> list[str]:
	"""The customers a Website user belongs to: those with a contact the user was invited as."""
	if not is_portal_user(user):
		return []
	return frappe.get_all(
		"CRM Customer Contact",
		filters={"portal_user": user, "parenttype": "CRM Customer"},
		pluck="parent",
		distinct=True,
		order_by="parent",
	)


def portal_condition(doctype: str, user: str) -> str:
	"""SQL keeping the records of a portal DocType about the customers the Website user belongs to, and meant
	for their eyes."""
	table = f"`tab{doctype}`"
	shown = "".join(
		f" and {table}.`{field}` in ({', '.join(frappe.db.escape(str(value)) for value in values)})"
		for field, values in portal_page(doctype)["shown"].items()
	)
	return (
		f"({table}.`{portal_field(doctype)}` in (select contact.parent from `tabCRM Customer Contact` "
		f"contact where contact.portal_user = {frappe.db.escape(user)} "
		f"and contact.parenttype = 'CRM Customer'){shown})"
	)


def portal_record_visible(doc, user: str) -> bool:
	"""`portal_condition` for one record, judged by its stored values."""
	page = portal_page(doc.doctype)
	stored = frappe.db.get_value(doc.doctype, doc.name, [page["customer"], *page["shown"]], as_dict=True)
	if not stored or stored[page["customer"]] not in portal_customers(user):
		return False
	return all(str(stored[field]) in map(str, values) for field, values in page["shown"].items())


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""The portal's pages show a customer's records to the Website users of that customer, and to no one else."""
	return bool(portal_field(doc.doctype)) and portal_record_visible(doc, user or frappe.session.user)


def child_parents(doctype: str) -> list[str]:
	return frappe.get_hooks("crm_child_doctypes", {}).get(doctype) or []


def published_fields(doctype: str) -> dict[str, str] | None:
	"""{"published": Check field, "audience": Select field, "public": the audience of everyone} of a DocType
	whose records are published to audiences (`crm_published_doctypes`), or None."""
	fields = frappe.get_hooks("crm_published_doctypes", {}).get(doctype)
	return {key: values[-1] for key, values in fields.items()} if fields else None


def readable_audiences(doctype: str, user: str) -> tuple[str, ...] | None:
	"""The audiences whose published records of `doctype` the user may read, or None when they may read every
	record, unpublished ones too: those who may write them. Website users and guests are the public, and so is
	anyone else whose roles do not read the DocType (its public records reach them through the app's pages and
	endpoints only)."""
	fields = published_fields(doctype)
	if user == "Administrator":
		return None
	if user == "Guest" or frappe.get_cached_value("User", user, "user_type") == "Website User":
		return (fields["public"],)
	if frappe.has_permission(doctype, "write", user=user, ignore_share_permissions=True):
		return None
	if frappe.has_permission(doctype, "read", user=user, ignore_share_permissions=True):
		return tuple(frappe.get_meta(doctype).get_options(fields["audience"]).split("\n"))
	return (fields["public"],)


def published_condition(doctype: str, user: str) -> str | None:
	"""SQL keeping the records of a published DocType the user may read, or None: every record, or no such
	DocType."""
	if not (fields := published_fields(doctype)) or (audiences := readable_audiences(doctype, user)) is None:
		return None
	table = f"`tab{doctype}`"
	return (
		f"({table}.`{fields['published']}` = 1 and {table}.`{fields['audience']}` in "
		f"({', '.join(frappe.db.escape(audience) for audience in audiences)}))"
	)


def get_visible_owners(user: str | None = None, doctype: str | None = None) -> list[str] | None:
	"""The owners whose records `user` may see, or None when they may see every record (of `doctype`)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = frappe.get_roles(user)
	if any(role in roles for role in ADMIN_ROLES):
		return None
	if doctype and any(doctype in ROLES_SEEING_ALL.get(role, ()) for role in roles):
		return None
	if MANAGER_ROLE in roles:
		return users_led_by(user)
	return [user]


def check_people_in_reach(people: list[str]) -> None:
	"""Refuse (403) to act for anyone whose records the user may not see: a manager acts for the people of the
	teams they lead, an admin for everyone."""
	owners = get_visible_owners()
	for person in people:
		if owners is not None and person not in owners:
			frappe.throw(
				_("{0} is not in your team").format(escape_html(get_fullname(person))), frappe.PermissionError
			)


def owner_visible(owner: str | None, owners: list[str] | None, doctype: str) -> bool:
	"""Whether a record with this owner is within reach; unowned pool records are within everyone's."""
	if owners is None or owner in owners:
		return True
	return not owner and doctype in frappe.get_hooks("crm_pool_doctypes")


def owned_condition(doctype: str, owners: list[str]) -> str:
	column = f"`tab{doctype}`.`{owner_field(doctype)}`"
	condition = f"{column} in ({', '.join(frappe.db.escape(owner) for owner in owners)})"
	if doctype in frappe.get_hooks("crm_pool_doctypes"):
		condition = f"({condition} or {column} is null)"
	return condition


class SharedDocTypes:
	"""The DocTypes with records shared with the user or with everyone, looked up on first use. Only their rules
	need the share check, a subquery MariaDB materialises on every query, which costs more than the rest of a
	list's first page."""

	def __init__(self, user: str):
		self.user = user
		self.doctypes = None

	def __contains__(self, doctype: str) -> bool:
		if self.doctypes is None:
			self.doctypes = set(
				frappe.db.sql_list(
					"""select share_doctype from `tabDocShare` where `read` = 1 and user = %(user)s
					union select share_doctype from `tabDocShare` where `read` = 1 and everyone = 1""",
					{"user": self.user},
				)
			)
		return doctype in self.doctypes


def visible_records_query(doctype: str, user: str, shares: SharedDocTypes | None = None) -> str | None:
	"""SQL selecting the names of the `doctype` records the user may see (in reach, or shared), or None when
	they may see them all. `shares`: the user's SharedDocTypes, when the caller has them already."""
	shares = shares or SharedDocTypes(user)
	if not frappe.has_permission(doctype, "read", user=user, ignore_share_permissions=True):
		where = shared_condition(doctype, user, shares) or "false"
	elif not (where := row_conditions(doctype, user, shares)):
		return None
	return f"select `tab{doctype}`.name from `tab{doctype}` where {where}"


def shared_condition(doctype: str, user: str, shares: SharedDocTypes) -> str | None:
	if doctype in shares:
		return f"`tab{doctype}`.name in ({shared_names(doctype, user)})"
	return None


def shared_names(doctype: str, user: str) -> str:
	return (
		f"select share_name from `tabDocShare` where share_doctype = {frappe.db.escape(doctype)} "
		f"and `read` = 1 and (user = {frappe.db.escape(user)} or everyone = 1)"
	)


def link_in_reach(column: str, target: str, user: str, shares: SharedDocTypes) -> str | None:
	"""SQL that holds when the `target` record named in `column` is within the user's reach, or None when every
	record of `target` is.

	A target whose only rule is its owner is checked through its primary key, row by row: `column in (select name
	from target where owner in (...))` would have MariaDB list every target record in reach first, a pass over
	the whole target table on each request, where a list read in the order of its own index checks only the
	rows of the page it shows."""
	field = owner_field(target)
	if (
		not field
		or people_fields(target)
		or linked_fields(target)
		or child_parents(target)
		or not frappe.has_permission(target, "read", user=user, ignore_share_permissions=True)
	):
		visible = visible_records_query(target, user, shares)
		return f"{column} in ({visible})" if visible else None
	owners = get_visible_owners(user, target)
	if owners is None:
		return None
	owner, values = f"linked.`{field}`", [frappe.db.escape(owner) for owner in owners]
	if target in frappe.get_hooks("crm_pool_doctypes"):
		owner, values = f"ifnull({owner}, '')", [*values, "''"]
	condition = (
		f"(select {owner} from `tab{target}` linked where linked.name = {column}) in ({', '.join(values)})"
	)
	if target in shares:
		condition += f" or {column} in ({shared_names(target, user)})"
	return f"({condition})"


def copy_filters(doctype: str, user: str, shares: SharedDocTypes) -> list[str]:
	"""SQL dropping the rows whose copy names an owner out of the user's reach, in front of the exact rule: an
	index holding the copy answers it without reading the rows. A row linking to nothing, or to a record in the
	pool, holds no owner and passes on to the exact rule."""
	filters = []
	for field, copy in owner_copies(doctype).items():
		target = linked_fields(doctype)[field]
		if (owners := get_visible_owners(user, target)) is None:
			continue
		values = ", ".join(frappe.db.escape(owner) for owner in [*owners, ""])
		condition = f"ifnull(`tab{doctype}`.`{copy}`, '') in ({values})"
		if target in shares:
			condition = f"({condition} or `tab{doctype}`.`{field}` in ({shared_names(target, user)}))"
		filters.append(condition)
	return filters


def get_permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""The row rules as SQL. Records shared with the user count as in reach, as they do for a single
	document: Frappe's lists add shared records only for DocTypes the user cannot read at all."""
	user = user or frappe.session.user
	return row_conditions(doctype, user, SharedDocTypes(user))


def row_conditions(doctype: str, user: str, shares: SharedDocTypes) -> str:
	if portal_field(doctype) and is_portal_user(user):
		return portal_condition(doctype, user)
	conditions = []
	if owner_field(doctype):
		owners = get_visible_owners(user, doctype)
		if owners is not None:
			conditions.append(owned_condition(doctype, owners))
	if fields := people_fields(doctype):
		owners = get_visible_owners(user, doctype)
		if owners is not None:
			people = ", ".join(frappe.db.escape(owner) for owner in owners)
			conditions.append(
				"(" + " or ".join(f"`tab{doctype}`.`{field}` in ({people})" for field in fields) + ")"
			)
	if published := published_condition(doctype, user):
		conditions.append(published)
	if service_fields(doctype) and (service := service_condition(doctype, user, shares)):
		conditions.append(service)
	conditions += copy_filters(doctype, user, shares)
	for field, target in linked_fields(doctype).items():
		column = f"`tab{doctype}`.`{field}`"
		if condition := link_in_reach(column, target, user, shares):
			conditions.append(f"({column} is null or {condition})")
	if parents := child_parents(doctype):
		branches = []
		for parent in parents:
			branch = f"`tab{doctype}`.parenttype = {frappe.db.escape(parent)}"
			if visible := visible_records_query(parent, user, shares):
				branch += f" and `tab{doctype}`.parent in ({visible})"
			branches.append(f"({branch})")
		return f"({' or '.join(branches)})"
	if not conditions:
		return ""
	if shared := shared_condition(doctype, user, shares):
		return f"(({' and '.join(conditions)}) or {shared})"
	return f"({' and '.join(conditions)})"


def reference_fields(doctype: str) -> dict[str, str]:
	"""{name field: DocType field} by which a record of Frappe or another app names any record: a File's
	attached_to_name and attached_to_doctype, a Comment's reference_name and reference_doctype, and so on.

	Found in the metadata: a Dynamic Link, or a Data field named like the Link to DocType beside it
	(attached_to_doctype and attached_to_name). `crm_reference_fields` declares the few named otherwise. The
	app's own DocTypes have their own rules and are left out.
	"""
	if doctype in crm_doctypes():
		return {}
	meta = frappe.get_meta(doctype)
	doctype_links = {df.fieldname for df in meta.fields if df.fieldtype == "Link" and df.options == "DocType"}
	fields = {
		df.fieldname: df.options for df in meta.get_dynamic_link_fields() if df.options in doctype_links
	}
	stems = {name_stem: field for field in doctype_links if (name_stem := stem(field, ("_doctype", "_type")))}
	for df in meta.fields:
		name_stem = stem(df.fieldname, ("_docname", "_name"))
		if df.fieldtype == "Data" and name_stem and (source := stems.get(name_stem)):
			fields.setdefault(df.fieldname, source)
	declared = frappe.get_hooks("crm_reference_fields", {}).get(doctype) or {}
	return fields | {field: targets[-1] for field, targets in declared.items()}


def stem(fieldname: str, endings: tuple[str, ...]) -> str | None:
	return next((fieldname.removesuffix(ending) for ending in endings if fieldname.endswith(ending)), None)


def crm_doctypes() -> set[str]:
	"""Every DocType with the app's own row rules: owned, linked, about people, or a child table of those."""
	return row_permission_doctypes() | set(frappe.get_hooks("crm_child_doctypes", {}))


def reference_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Rows naming a CRM record are listed only to those who may see that record (permission_query_conditions
	for every DocType; empty for those that name no records)."""
	user = user or frappe.session.user
	conditions = []
	shares = SharedDocTypes(user)
	for name_field, doctype_field in reference_fields(doctype).items():
		kind, name = f"ifnull(`tab{doctype}`.`{doctype_field}`, '')", f"`tab{doctype}`.`{name_field}`"
		for target in sorted(row_permission_doctypes()):
			if (visible := visible_records_query(target, user, shares)) is not None:
				conditions.append(f"({kind} != {frappe.db.escape(target)} or {name} in ({visible}))")
	return " and ".join(conditions)


def has_reference_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""has_permission for every DocType: a row naming a CRM record the user may not see is denied, as is a new
	row naming one that does not exist, and a file the desk attached to a portal record is denied to the
	customer's contacts. Otherwise no opinion (None), so Frappe's own rules decide."""
	if doc.doctype == "File" and is_desk_file_of_portal_record(doc, user or frappe.session.user):
		return False
	for name_field, doctype_field in reference_fields(doc.doctype).items():
		target, name = doc.get(doctype_field), doc.get(name_field)
		if target in row_permission_doctypes() and name and not is_visible(target, name, user):
			return False
	return None


def is_desk_file_of_portal_record(file, user: str) -> bool:
	"""A file attached to a record customers read in the portal by someone at the desk, asked for by a Website
	user: the portal shows them only what they sent and the mail exchanged with them, so the file's own URL must
	not show more."""
	return (
		bool(file.attached_to_doctype and portal_field(file.attached_to_doctype))
		and is_portal_user(user)
		and not is_portal_user(file.owner)
	)


def is_visible(doctype: str, name: str, user: str | None = None) -> bool:
	"""Whether the record exists and is within the user's reach. For the app's DocTypes the list decides (its
	row, share and user-permission rules); for Frappe's own, the document's permission check does, since some
	of them list fewer rows than they open (Communication lists no e-mails to most users)."""
	if not isinstance(name, str | int) or not name:
		return False
	# Frappe's checks leave their reasons in the response; a refusal must say no more than "not found"
	error_message = frappe.flags.error_message
	try:
		return _is_visible(doctype, name, user or frappe.session.user)
	except frappe.PermissionError:
		frappe.clear_last_message()
		return False
	finally:
		frappe.flags.error_message = error_message


def _is_visible(doctype: str, name: str, user: str) -> bool:
	if doctype not in crm_doctypes():
		return bool(frappe.db.exists(doctype, name)) and frappe.has_permission(
			doctype, "read", doc=name, user=user
		)
	parent = None
	if frappe.get_meta(doctype).istable:
		parent = frappe.db.get_value(doctype, name, "parenttype")
		if not parent:
			return False
	return bool(
		frappe.get_list(
			doctype,
			filters={"name": name},
			pluck="name",
			limit_page_length=1,
			order_by=None,
			parent_doctype=parent,
			user=user,
		)
	)


def may_read_owned(doctype: str, name: str, owner: str | None) -> bool:
	"""Read access decided from an owner value already in hand, e.g. from a locking read that sees rows
	committed after this transaction began, which `frappe.has_permission` would not find."""
	user = frappe.session.user
	if not frappe.has_permission(doctype, "read"):
		return False
	return owner_visible(owner, get_visible_owners(user, doctype), doctype) or bool(
		frappe.db.exists("DocShare", {"share_doctype": doctype, "share_name": name, "user": user, "read": 1})
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	if doc.is_new():
		return True
	if portal_field(doc.doctype) and is_portal_user(user or frappe.session.user):
		return portal_record_visible(doc, user or frappe.session.user)
	if field := owner_field(doc.doctype):
		owners = get_visible_owners(user, doc.doctype)
		if owners is None:
			return True
		# the stored owner decides; a new owner being set is checked by validate_owner_change
		stored = frappe.db.get_value(doc.doctype, doc.name, field) if ptype != "read" else doc.get(field)
		return owner_visible(stored, owners, doc.doctype)
	if fields := people_fields(doc.doctype):
		owners = get_visible_owners(user, doc.doctype)
		return owners is None or any(doc.get(field) in owners for field in fields)
	if service_fields(doc.doctype):
		return service_record_visible(doc, ptype, user or frappe.session.user)
	if fields := published_fields(doc.doctype):
		audiences = readable_audiences(doc.doctype, user or frappe.session.user)
		if audiences is None:
			return True
		return bool(doc.get(fields["published"])) and doc.get(fields["audience"]) in audiences
	# Whoever may see every record this one links to may see it.
	return all(
		frappe.has_permission(target, "read", doc=doc.get(field), user=user)
		for field, target in linked_fields(doc.doctype).items()
		if doc.get(field)
	)


def can_assign_owner(doctype: str, new_owner: str | None, creating: bool) -> bool:
	"""Admins give records to anyone; managers within their team or to the pool; sales users keep what they create."""
	if frappe.session.user == "Administrator" or set(ADMIN_ROLES) & set(frappe.get_roles()):
		return True
	if MANAGER_ROLE in frappe.get_roles():
		return owner_visible(new_owner, users_led_by(frappe.session.user), doctype)
	return creating and new_owner == frappe.session.user


def validate_owner_change(doc, field: str) -> None:
	"""New records belong to their creator unless someone allowed to assign them says otherwise."""
	if doc.is_new() and not doc.get(field) and not doc.flags.into_pool:
		doc.set(field, frappe.session.user)
	if not doc.is_new() and not doc.has_value_changed(field):
		return
	if doc.meta.has_field("owner_since"):
		doc.owner_since = now_datetime() if doc.get(field) else None
	if doc.flags.ignore_permissions:  # set by server code acting for the system, never by a client
		return
	if not can_assign_owner(doc.doctype, doc.get(field), creating=doc.is_new()):
		if doc.get(field):
			frappe.throw(
				_("You cannot make {0} the owner of this {1}").format(doc.get(field), _(doc.doctype))
			)
		frappe.throw(_("You cannot put this {0} into the public pool").format(_(doc.doctype)))


def row_permission_doctypes() -> set[str]:
	return {
		*frappe.get_hooks("crm_owner_fields", {}),
		*frappe.get_hooks("crm_linked_doctypes", {}),
		*frappe.get_hooks("crm_people_doctypes", {}),
		*frappe.get_hooks("crm_published_doctypes", {}),
		*frappe.get_hooks("crm_service_doctypes", {}),
	}


def refuse_links_to_unseen_records(doc, method=None) -> None:
	"""A CRM record, and every row of its tables, links only to records that exist and, for the app's protected
	records, that its author may see; checked before any rule of the record's own can reveal a value.

	Frappe checks that a link target exists, though not for a table row's links whose target it fetches values
	from (v15), and never whether the user may see it. The refusal repeats Frappe's own "Could not find"
	message, so a hidden record looks exactly like a missing one.
	"""
	if not doc.doctype.startswith("CRM "):
		return
	protected = row_permission_doctypes()
	before = doc.get_doc_before_save()
	previous_rows = {row.name: row for row in before.get_all_children()} if before else {}
	for row in [doc, *doc.get_all_children()]:
		previous = before if row is doc else previous_rows.get(row.name)
		for df in row.meta.get_link_fields():
			value = row.get(df.fieldname)
			if not value or (previous and previous.get(df.fieldname) == value):
				continue
			if df.options in protected and not doc.flags.ignore_permissions:
				found = is_visible(df.options, value)
			else:
				found = frappe.db.exists(df.options, value, cache=True)
			if not found:
				throw_link_not_found(_(df.label, context=df.parent), value)


def check_visible(doctype: str, name: str, ptype: str = "read") -> None:
	"""Refuse a record the user may not `ptype` exactly as if it did not exist."""
	if not (name and frappe.db.exists(doctype, name) and frappe.has_permission(doctype, ptype, doc=name)):
		throw_not_found(doctype, name)


def throw_link_not_found(label: str, value) -> None:
	"""Frappe's own answer for a link to a record that does not exist (Document._validate_links)."""
	frappe.throw(_("Could not find {0}").format(f"{label}: {value}"), frappe.LinkValidationError)


def throw_not_found(doctype: str, name) -> None:
	"""Frappe's own answer for a record that does not exist (frappe.get_doc): the same status and message."""
	frappe.throw(_("{0} {1} not found").format(_(doctype), name), frappe.DoesNotExistError(doctype=doctype))


def forget_follows_out_of_reach() -> None:
	"""Whoever can no longer see a CRM record stops following it. Frappe's follow digest mails a followed
	record's changes without asking whether the follower may still see it (after a hand-over, a return to the
	pool or a team change); one statement per follower and DocType."""
	followers = frappe.db.sql(
		"select distinct user, ref_doctype from `tabDocument Follow` where ref_doctype in %(doctypes)s",
		{"doctypes": tuple(sorted(row_permission_doctypes()))},
	)
	for user, doctype in followers:
		if (visible := visible_records_query(doctype, user)) is not None:
			frappe.db.sql(
				f"""delete from `tabDocument Follow` where user = %(user)s and ref_doctype = %(doctype)s
				and ref_docname not in ({visible})""",
				{"user": user, "doctype": doctype},
			)


def refuse_foreign_private_files(doc, method=None) -> None:
	"""A File row pointing at a private file that already exists is allowed only to those who may already
	download that file: otherwise attaching a known URL to a record of one's own would hand over anyone's
	private file (Frappe serves a private URL to whoever may read any File row with it)."""
	if doc.is_folder or not (doc.file_url or "").startswith("/private/"):
		return
	if (
		getattr(frappe.local, "uploaded_file", None) is not None
	):  # the request brought the file's content itself
		return
	if not (doc.is_new() or doc.has_value_changed("file_url")) or "System Manager" in frappe.get_roles():
		return
	from frappe.core.doctype.file.utils import find_file_by_url

	if frappe.db.exists("File", {"file_url": doc.file_url}) and not find_file_by_url(doc.file_url):
		throw_not_found("File", doc.file_url)
