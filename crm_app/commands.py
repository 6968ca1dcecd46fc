"""App commands for bench: `bench --site SITE crm-demo --customers 1000`."""

import click
from frappe.commands import get_site, pass_context


@click.command("crm-demo")
@click.option(
	"--customers",
	type=click.IntRange(min=1),
	default=1000,
	show_default=True,
	help="Customers to add (and about 30% as many leads)",
)
@click.option("--seed", type=int, help="Seed of the random generator, to repeat a load (default: random)")
@click.option("--chunk-size", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option("--password", help="Password given to demo users created by this run (default: none)")
@click.option(
	"--lang", default="zh", show_default=True, help="Language of generated texts such as follow-up notes"
)
@pass_context
def crm_demo(context, customers: int, seed: int | None, chunk_size: int, password: str | None, lang: str):
	"""Load realistic demo data: sales users, teams and products, customers with contacts, interactions and
	their sales pipeline (opportunities, quotations, contracts, orders, payments), and leads.

	Adds to what the site has: running it again adds more customers and leads, and reuses the demo users, teams
	and products.
	"""
	import frappe

	from crm_app.demo.loader import load_demo_data

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		frappe.local.lang = lang
		click.echo(f"Loading {customers} demo customers into {site}")
		result = load_demo_data(
			customers, seed=seed, chunk_size=chunk_size, password=password, progress=click.echo
		)
		frappe.db.commit()
	finally:
		frappe.destroy()
	click.secho(
		f"Added {result.customers} customers ({result.first_customer} to {result.last_customer}), "
		f"{result.contacts} contacts, {result.interactions} interactions and {result.follow_ups} open "
		f"follow-ups, with {result.pipeline_summary()}, in {result.seconds:.1f} s (seed {result.seed})",
		fg="green",
	)


commands = [crm_demo]
