"""App commands for bench: `bench --site SITE crm-demo --customers 1000`."""

import secrets

import click
from frappe.commands import get_site, pass_context

from crm_app.demo.catalogue import B2B, PROFILES, RETAIL


@click.command("crm-demo")
@click.option(
	"--customers",
	type=click.IntRange(min=1),
	default=1000,
	show_default=True,
	help="Customers to add (with the b2b profile, about 30% as many leads and 25% as many tickets)",
)
@click.option(
	"--profile",
	type=click.Choice(PROFILES),
	default=B2B,
	show_default=True,
	help="b2b: companies and people with their sales pipeline, tickets and leads; retail: the members of a "
	"mother-and-baby store with many small orders paid at the counter, with patterns planted for the analytics "
	"(a product pair bought together, members on a steady rhythm who stopped, big spenders)",
)
@click.option("--seed", type=int, help="Seed of the random generator, to repeat a load (default: random)")
@click.option("--chunk-size", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option(
	"--password",
	help="Password of the demo users this run creates (default: a random one, shown at the end); "
	"demo users that exist already keep theirs",
)
@click.option(
	"--opportunities",
	type=click.IntRange(min=0),
	help="b2b: about how many opportunities to make in all, by giving each customer more or fewer deals than "
	"usual (default: about one per two customers)",
)
@click.option(
	"--lang",
	default="zh",
	show_default=True,
	help="Language of the messages and of generated texts such as follow-up reminders",
)
@pass_context
def crm_demo(
	context,
	customers: int,
	profile: str,
	seed: int | None,
	chunk_size: int,
	password: str | None,
	opportunities: int | None,
	lang: str,
):
	"""Load realistic demo data: sales and service users, sales and service teams, products and knowledge
	articles, customers with contacts, interactions, their sales pipeline (opportunities, quotations, contracts,
	orders, payments) and their after-sales tickets, and leads. Ends with the demo logins by role.

	With --profile retail, the sales users and teams, a mother-and-baby store's products and its members:
	individuals with a mobile, often a WeChat ID, and about two years of small orders, each paid in full at the
	counter, and few interactions.

	Adds to what the site has: running it again adds more customers, tickets and leads, and reuses the demo
	users, teams, products and articles. It may run before or after Frappe's setup wizard: the wizard's account
	stays the owner's.
	"""
	import frappe
	from frappe import _

	from crm_app.demo.loader import load_demo_data

	site = get_site(context)
	password = password or secrets.token_urlsafe(9)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		frappe.local.lang = lang
		click.echo(_("Loading {0} demo customers into {1}").format(customers, site))
		result = load_demo_data(
			customers,
			profile=profile,
			seed=seed,
			chunk_size=chunk_size,
			password=password,
			opportunities=opportunities,
			progress=click.echo,
		)
		frappe.db.commit()
		for line in summary(profile, result):
			click.secho(line, fg="green")
		click.echo(demo_logins(result.users_created, password))
		if not frappe.is_setup_complete():
			click.echo(
				_(
					"The setup wizard is not finished yet: log in as Administrator and finish it with your own "
					"name and e-mail address, which become your administrator account. The demo users stay as "
					"they are."
				)
			)
	finally:
		frappe.destroy()


@click.command("crm-reindex-knowledge")
@pass_context
def crm_reindex_knowledge(context):
	"""Rebuild the knowledge base's search index from every article, to repair it: saving or deleting an article
	keeps its own entries current."""
	import frappe
	from frappe import _

	from crm_app.service.knowledge import reindex_all

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		reindex_all(lambda done, total: click.echo(_("Indexed {0} of {1} articles").format(done, total)))
		frappe.db.commit()
	finally:
		frappe.destroy()


commands = [crm_demo, crm_reindex_knowledge]


def summary(profile: str, result) -> list[str]:
	"""The closing lines: what the load added."""
	from frappe import _

	if profile == RETAIL:
		return [
			_(
				"Added {0} retail customers ({1} to {2}) with {3} sales orders of {4} lines and {5} payments in "
				"{6:.1f} s (seed {7})"
			).format(
				result.customers,
				result.first_customer,
				result.last_customer,
				result.sales_orders,
				result.order_lines,
				result.payments,
				result.seconds,
				result.seed,
			)
		]
	return [
		_(
			"Added {0} customers ({1} to {2}) with {3} contacts, {4} interactions and {5} open follow-ups, "
			"{6} leads, {7} opportunities, {8} quotations, {9} contracts, {10} sales orders and {11} "
			"payments in {12:.1f} s (seed {13})"
		).format(
			result.customers,
			result.first_customer,
			result.last_customer,
			result.contacts,
			result.interactions,
			result.follow_ups,
			result.leads,
			result.opportunities,
			result.quotations,
			result.contracts,
			result.sales_orders,
			result.payments,
			result.seconds,
			result.seed,
		),
		_(
			"Service desk: {0} tickets ({1} open), {2} service teams and {3} knowledge articles created"
		).format(
			result.tickets,
			result.open_tickets,
			len(result.service_teams_created),
			len(result.articles_created),
		),
	]


def demo_logins(created: list[str], password: str) -> str:
	"""The demo users by role, each with their teams, then the password they log in with."""
	from frappe import _

	from crm_app.demo.generator import DEMO_SERVICE_TEAMS, DEMO_TEAMS, DEMO_USERS

	teams = {}
	for team in (*DEMO_TEAMS, *DEMO_SERVICE_TEAMS):
		for login in (team.manager, *team.members):
			if login:
				teams.setdefault(login, []).append(team.name)
	by_role = {}
	for user in DEMO_USERS:
		by_role.setdefault(user.roles[0], []).append(user)
	lines = [_("Demo logins by role:")]
	for role, users in by_role.items():
		lines.append(f"  {_(role)}")
		lines += [
			f"    {user.full_name}  {user.email}  {'、'.join(teams.get(user.login, []))}".rstrip()
			for user in users
		]
	if len(created) == len(DEMO_USERS):
		lines.append(_("Password: {0}").format(password))
	elif created:
		names = ", ".join(user.full_name for user in DEMO_USERS if user.email in created)
		lines.append(
			_("Password of the users created now ({0}): {1}. The others keep theirs.").format(names, password)
		)
	else:
		lines.append(_("These demo users existed already and keep their passwords."))
	return "\n".join(lines)
