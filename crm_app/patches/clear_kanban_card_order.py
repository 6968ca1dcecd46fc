"""Kanban card order is no longer kept on the board, which everyone who may open the board can read."""

from crm_app.sales_pipeline.doctype.crm_sales_stage.crm_sales_stage import sync_kanban_columns


def execute():
	sync_kanban_columns()
