"""Records the app ships with. Plain data, no frappe import: install.py writes them, the static suite reads them.

Channels and industries are seeded once and stay editable by an admin afterwards; roles are ensured on every
migrate because permissions depend on them.
"""

ROLES = (
	"CRM Sales User",
	"CRM Sales Manager",
	"CRM Admin",
	"CRM Warehouse",
	"CRM Finance",
	"CRM Service Agent",
	"CRM Service Manager",
	"CRM Customer",
)
# The role of a customer's contact invited to the self-service portal: a Website user, never at the desk.
PORTAL_ROLE = "CRM Customer"

# The role that sees every CRM record regardless of owner; System Manager is treated the same way.
ADMIN_ROLES = ("CRM Admin", "System Manager")
MANAGER_ROLE = "CRM Sales Manager"

SOURCE_CHANNELS = ("官网", "展会", "朋友推荐", "淘宝", "抖音", "微信", "电话", "其他")

INDUSTRIES = (
	"批发零售",
	"制造业",
	"餐饮住宿",
	"建筑装修",
	"信息技术",
	"教育培训",
	"医疗健康",
	"美容美发",
	"物流运输",
	"农林牧渔",
	"文化传媒",
	"专业服务",
	"其他",
)

TAGS = (
	("高意向待转化", "#F97316", "近期互动频繁但尚未下单"),
	("VIP客户", "#DC2626", "近一年订单金额大"),
	("重点客户", "#7C3AED", "团队重点跟进"),
	("普通客户", "#6B7280", ""),
)

# (rule name, tag, [(metric, operator, value, period_days)])
TAG_RULES = (
	(
		"近90天互动3次以上且未下单",
		"高意向待转化",
		[("Interaction Count", ">=", "3", 90), ("Order Count", "=", "0", 0)],
	),
	("近365天订单金额超10万", "VIP客户", [("Order Amount", ">", "100000", 365)]),
)

# Roles that see every record of some CRM DocTypes whoever owns them, because their work spans the company.
ROLES_SEEING_ALL = {
	"CRM Warehouse": ("CRM Sales Order",),
	"CRM Finance": ("CRM Sales Order", "CRM Payment", "CRM Contract", "CRM Quotation"),
	# the service desk answers whichever customer calls
	"CRM Service Agent": ("CRM Customer",),
	"CRM Service Manager": ("CRM Customer",),
}

SALES_ROLES = ("CRM Sales User", MANAGER_ROLE)
SERVICE_ROLES = ("CRM Service Agent", "CRM Service Manager")

# Categories of the knowledge base (知识库), seeded once; an admin or service manager edits them afterwards.
KNOWLEDGE_CATEGORIES = ("安装调试", "使用指南", "故障排除", "保养维护", "售后政策", "常见问题")

LOST_REASONS = ("价格太高", "选择了竞争对手", "预算不足", "需求取消", "联系不上", "其他")

# (stage, order, probability, max idle days, won, lost, requirements)
# A requirement is ("Field", fieldname), ("Linked Document", doctype, submitted_only) or ("Attachment",).
SALES_STAGES = (
	("初步接触", 10, 10, 7, 0, 0, ()),
	("需求确认", 20, 30, 7, 0, 0, (("Field", "amount"), ("Field", "expected_close_date"))),
	("方案报价", 30, 50, 10, 0, 0, ()),
	("合同谈判", 40, 70, 14, 0, 0, (("Linked Document", "CRM Quotation", 1),)),
	("赢单", 50, 100, 0, 1, 0, (("Linked Document", "CRM Contract", 0),)),
	("输单", 60, 0, 0, 0, 1, ()),
)

# BANT answer -> points; the four dimensions add up to at most 100.
BANT_WEIGHTS = (
	("Budget", "Approved", 25),
	("Budget", "Planned", 15),
	("Budget", "No Budget", 0),
	("Budget", "Unknown", 5),
	("Authority", "Decision Maker", 25),
	("Authority", "Influencer", 15),
	("Authority", "No Authority", 5),
	("Authority", "Unknown", 5),
	("Need", "Definite", 25),
	("Need", "Vague", 10),
	("Need", "No Need", 0),
	("Timeline", "Within 1 Month", 25),
	("Timeline", "Within 3 Months", 18),
	("Timeline", "Within 6 Months", 10),
	("Timeline", "No Plan", 0),
)

# The China holiday calendar, filled from the chinese-calendar package at install, and the default service level
# on it: office hours Monday to Friday (450 working minutes a day) and, per priority, the response and
# resolution targets in working minutes. An admin edits both afterwards.
HOLIDAY_CALENDAR = "中国法定节假日"
SERVICE_LEVEL = "标准服务"
SERVICE_HOURS = (("09:00", "12:00"), ("13:30", "18:00"))
SERVICE_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SERVICE_TARGETS = (("Urgent", 30, 240), ("High", 60, 450), ("Medium", 240, 1350), ("Low", 480, 2250))
SERVICE_AT_RISK_PERCENT = 25
