from crm_app.domain.completeness import CHECKS, bits, completeness, completeness_sql

COMPLETE = {
	"mobile_no": "+86-13800138000",
	"email_id": "wang@xinye.cn",
	"province": "浙江",
	"city": "杭州",
	"industry": "零售",
	"source_channel": "展会",
	"contacts": [{"contact_name": "王伟"}],
}
ALL = sum(bit for _name, _label, bit in bits())


def bit(name: str) -> int:
	return next(bit for check, _label, bit in bits() if check == name)


def test_each_check_is_a_bit_of_its_own():
	assert [bit for _name, _label, bit in bits()] == [1 << index for index in range(len(CHECKS))]


def test_a_customer_meets_a_check_when_all_its_fields_are_filled():
	assert completeness(COMPLETE) == ALL
	assert completeness({**COMPLETE, "city": None}) == ALL - bit("address")
	assert completeness({**COMPLETE, "email_id": "", "contacts": []}) == ALL - bit("email") - bit("contacts")
	assert completeness({}) == 0


def test_the_sql_tests_the_same_fields_and_the_contact_rows():
	sql = completeness_sql("c", "`tabCRM Customer Contact`")
	assert f"if(ifnull(c.`province`, '') != '' and ifnull(c.`city`, '') != '', {bit('address')}, 0)" in sql
	assert "contact.parent = c.name and contact.parenttype = 'CRM Customer'" in sql
	assert sql.count("if(") == len(CHECKS)
