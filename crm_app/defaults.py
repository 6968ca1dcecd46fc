"""Records the app ships with. Plain data, no frappe import: install.py writes them, the static suite reads them.

Channels and industries are seeded once and stay editable by an admin afterwards; roles are ensured on every
migrate because permissions depend on them.
"""

ROLES = ("CRM Sales User", "CRM Sales Manager", "CRM Admin")

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
