"""Excel import through Frappe's Data Import, with the app's validation and de-duplication on every row."""

import io

import frappe
from openpyxl import Workbook

from tests.integration.client import messages
from tests.integration.conftest import email_of, fresh, unique_mobile, unique_name, unique_uscc, wait_for


def workbook(rows: list[list]) -> bytes:
	book = Workbook()
	sheet = book.active
	for row in rows:
		sheet.append(row)
	buffer = io.BytesIO()
	book.save(buffer)
	return buffer.getvalue()


def test_manager_imports_customers_from_excel_with_validation_and_de_duplication(users, worker):
	manager = users["east_manager"]
	taken = unique_mobile()
	existing = users["sales_a"].insert("CRM Customer", {"customer_name": unique_name(), "mobile_no": taken})
	assert existing.status_code == 200
	good = [unique_name("导入客户"), unique_name("导入客户")]
	mobile = unique_mobile()
	content = workbook(
		[
			[
				"Customer Name",
				"Customer Type",
				"Mobile No",
				"Email",
				"Unified Social Credit Code",
				"Province",
				"City",
				"Source Channel",
				"Sales Owner",
			],
			[
				good[0],
				"Company",
				f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
				"Import@Example.cn",
				unique_uscc(),
				"江苏",
				"苏州",
				"展会",
				email_of("sales_b"),
			],
			[good[1], "Individual", "", "", "", "广东省", "深圳市", "微信", ""],
			[unique_name("重复客户"), "Company", f"0086{taken}", "", "", "", "", "", ""],
			[unique_name("坏代码"), "Company", "", "", "91350100M000100Y44", "", "", "", ""],
		]
	)
	upload = manager.request(
		"POST",
		"/api/method/upload_file",
		files={
			"file": (
				"客户导入.xlsx",
				content,
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			)
		},
		data={"is_private": 1},
	)
	assert upload.status_code == 200, upload.text
	data_import = manager.insert(
		"Data Import",
		{
			"reference_doctype": "CRM Customer",
			"import_type": "Insert New Records",
			"import_file": upload.json()["message"]["file_url"],
		},
	)
	assert data_import.status_code == 200, messages(data_import)
	name = data_import.json()["data"]["name"]
	started = manager.post("frappe.core.doctype.data_import.data_import.form_start_import", data_import=name)
	assert started.status_code == 200, messages(started)

	status = wait_for(
		lambda: (
			frappe.db.get_value("Data Import", name, "status") not in (None, "Pending")
			and frappe.db.get_value("Data Import", name, "status")
		),
		what="the import to finish",
	)
	assert status == "Partial Success"
	imported = {
		row.customer_name: row
		for row in frappe.get_all(
			"CRM Customer",
			{"customer_name": ("in", good)},
			["customer_name", "mobile_no", "email_id", "province", "city", "sales_owner"],
		)
	}
	assert set(imported) == set(good)
	assert imported[good[0]].mobile_no == f"+86{mobile}"
	assert imported[good[0]].email_id == "import@example.cn"
	assert (imported[good[0]].province, imported[good[0]].city) == ("江苏省", "苏州市")
	assert imported[good[0]].sales_owner == email_of("sales_b")
	assert imported[good[1]].sales_owner == email_of("east_manager")
	log = frappe.get_all("Data Import Log", {"data_import": name, "success": 0}, ["messages"])
	text = " ".join(row.messages or "" for row in log)
	assert len(log) == 2
	assert "already has this Mobile No" in text  # sales_a is in the manager's team, so the customer is named
	assert "has a wrong check character" in text
	fresh()
	assert frappe.db.count("CRM Customer", {"mobile_no": f"+86{taken}"}) == 1


def test_sales_users_cannot_import(users):
	response = users["sales_a"].insert(
		"Data Import", {"reference_doctype": "CRM Customer", "import_type": "Insert New Records"}
	)
	assert response.status_code == 403
