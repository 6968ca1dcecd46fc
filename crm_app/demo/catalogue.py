"""What the demo company sells and how its deals go: products, the funnel's shape, and the words salespeople use.

Pure data and small value types, no frappe: the generator reads them, the loader inserts the products once.
"""

from dataclasses import dataclass
from decimal import Decimal

# Products ----------------------------------------------------------------------------------------------------

GOODS, SERVICE, CONSUMABLE = "Goods", "Service", "Consumable"


@dataclass(frozen=True)
class Product:
	code: str
	name: str
	product_type: str  # Goods, Service or Consumable, as in CRM Product
	list_price: Decimal
	unit: str
	replacement_cycle_days: int | None = None  # consumables only
	industries: tuple[str, ...] = ()  # the customers' industries that buy it; () for every industry
	description: str | None = None


def _product(code, name, product_type, price, unit, cycle=None, industries=(), description=None) -> Product:
	return Product(code, name, product_type, Decimal(price), unit, cycle, industries, description)


# A trading and services company that supplies SMEs of many trades: a few lines per customer industry, and
# office and safety supplies that every customer buys.
DEMO_PRODUCTS = (
	_product("ZZ-DJ-01", "硬质合金数控刀具套装", GOODS, "1280.00", "套", industries=("制造业",)),
	_product("ZZ-YB-02", "液压泵站", GOODS, "6800.00", "台", industries=("制造业",)),
	_product("ZZ-MJ-03", "注塑模具定制", GOODS, "38000.00", "套", industries=("制造业",)),
	_product("ZZ-QX-04", "水溶性切削液 20L", CONSUMABLE, "560.00", "箱", 90, ("制造业",), "按季度更换"),
	_product("ZZ-FL-05", "不锈钢法兰配件", GOODS, "85.00", "件", industries=("制造业", "建筑装修")),
	_product("CY-DC-01", "商用电磁炉", GOODS, "8600.00", "台", industries=("餐饮住宿",)),
	_product(
		"CY-SY-02", "收银一体机", GOODS, "3280.00", "台", industries=("餐饮住宿", "批发零售", "美容美发")
	),
	_product("CY-BC-03", "酒店布草四件套", CONSUMABLE, "168.00", "套", 180, ("餐饮住宿",)),
	_product("JZ-FS-01", "聚氨酯防水涂料", GOODS, "380.00", "箱", industries=("建筑装修",)),
	_product("JZ-MC-02", "断桥铝合金门窗", GOODS, "1150.00", "套", industries=("建筑装修",)),
	_product("JZ-CZ-03", "通体大理石瓷砖", GOODS, "260.00", "箱", industries=("建筑装修",)),
	_product(
		"IT-ERP-01",
		"ERP管理系统（标准版）",
		SERVICE,
		"29800.00",
		"套",
		industries=("信息技术", "制造业", "批发零售"),
	),
	_product(
		"IT-YF-02",
		"云服务器年度租用",
		SERVICE,
		"4800.00",
		"台",
		industries=("信息技术", "教育培训", "文化传媒"),
	),
	_product(
		"IT-AQ-03", "网络安全等级保护服务", SERVICE, "36000.00", "次", industries=("信息技术", "医疗健康")
	),
	_product(
		"IT-XCX-04",
		"微信小程序开发",
		SERVICE,
		"25000.00",
		"套",
		industries=("信息技术", "餐饮住宿", "美容美发"),
	),
	_product("JY-HB-01", "86英寸智慧黑板", GOODS, "16800.00", "台", industries=("教育培训",)),
	_product("JY-KC-02", "在线课程平台年费", SERVICE, "9800.00", "套", industries=("教育培训",)),
	_product("YL-HC-01", "一次性医用耗材包", CONSUMABLE, "320.00", "箱", 30, ("医疗健康",)),
	_product("YL-SJ-02", "快速检测试剂盒", CONSUMABLE, "1450.00", "箱", 60, ("医疗健康",)),
	_product("YL-KF-03", "康复理疗设备", GOODS, "23800.00", "台", industries=("医疗健康",)),
	_product("MR-HF-01", "院线护肤品套装", CONSUMABLE, "980.00", "套", 60, ("美容美发",)),
	_product("MR-YQ-02", "多功能美容仪", GOODS, "12800.00", "台", industries=("美容美发",)),
	_product(
		"MR-HY-03", "会员管理系统", SERVICE, "3980.00", "套", industries=("美容美发", "教育培训", "餐饮住宿")
	),
	_product(
		"WL-LL-01", "冷链整车运输", SERVICE, "4500.00", "次", industries=("物流运输", "农林牧渔", "餐饮住宿")
	),
	_product("WL-CC-02", "仓储托管服务（月）", SERVICE, "6800.00", "次", industries=("物流运输", "批发零售")),
	_product("NY-FL-01", "生物有机肥 40kg", CONSUMABLE, "95.00", "件", 90, ("农林牧渔",)),
	_product("NY-WRJ-02", "植保无人机", GOODS, "56000.00", "台", industries=("农林牧渔",)),
	_product("CM-XC-01", "企业宣传片拍摄", SERVICE, "18000.00", "次", industries=("文化传媒", "专业服务")),
	_product("CM-ZT-02", "展会展台搭建", SERVICE, "26000.00", "次", industries=("文化传媒", "制造业")),
	_product(
		"CM-YS-03", "宣传画册印刷（1000册）", GOODS, "3600.00", "套", industries=("文化传媒", "教育培训")
	),
	_product("FW-JZ-01", "代理记账（年度）", SERVICE, "4800.00", "次", industries=("专业服务",)),
	_product("FW-SB-02", "商标注册代理", SERVICE, "1200.00", "次", industries=("专业服务", "批发零售")),
	_product("BG-DY-01", "激光打印机", GOODS, "2380.00", "台"),
	_product("BG-XG-02", "原装硒鼓", CONSUMABLE, "420.00", "件", 90),
	_product("BG-ZZ-03", "A4复印纸（5包/箱）", CONSUMABLE, "135.00", "箱", 30),
	_product("BG-LB-04", "劳保手套（120双/箱）", CONSUMABLE, "260.00", "箱", 30),
	_product("BG-LP-05", "企业定制礼盒", GOODS, "288.00", "套"),
)


# Funnel ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
	"""A CRM Sales Stage as the generator needs it; `requirements` are (kind, fieldname, doctype, submitted_only)."""

	name: str
	order: int
	probability: float
	is_won: bool = False
	is_lost: bool = False
	max_idle_days: int = 0
	requirements: tuple[tuple[str, str | None, str | None, bool], ...] = ()


# Where a customer's latest deal is: share of those deals. Earlier deals of the same customer are all closed,
# half of them won (repeat business). Over all deals about 45% are open and a little under half of the closed
# ones were won; open ones thin out towards the end of the funnel.
OUTCOME_WEIGHTS = {"won": 24, "lost": 30, "open": 46}
CLOSED_OUTCOME_WEIGHTS = {"won": 50, "lost": 50}
OPEN_STAGE_WEIGHTS = (30, 27, 23, 20)  # first open stage first; more stages repeat the last weight
LOST_AT_WEIGHTS = (25, 25, 30, 20)  # the open stage a lost deal dropped out of
# Days a deal spends in each open stage before it moves on (first stage first)
STAGE_DAYS = ((2, 20), (3, 25), (3, 30), (5, 40))
OPPORTUNITY_COUNTS = {"": ((1, 85), (2, 15)), "Regular": ((1, 75), (2, 20), (3, 5))}
BIG_ACCOUNT_COUNTS = ((1, 45), (2, 30), (3, 15), (4, 10))
# Share of owned customers with deals, by tier; about 35% of all customers in all
OPPORTUNITY_SHARE_BY_TIER = {"": 0.25, "Regular": 0.35, "Key Account": 0.55, "VIP": 0.75}
# Median deal size in CNY (incl. VAT), by customer tier; individuals buy about a third of that
DEAL_SIZE_BY_TIER = {"": 15000, "Regular": 25000, "Key Account": 60000, "VIP": 150000}
INDIVIDUAL_DEAL_FACTOR = 0.3
LINE_COUNTS = ((1, 45), (2, 30), (3, 17), (4, 8))
DISCOUNTS = ((0, 40), (2, 8), (3, 8), (5, 15), (8, 10), (10, 10), (12, 4), (15, 3), (20, 2))
UNREACHABLE = "联系不上"
LOST_REASON_WEIGHTS = {"价格太高": 30, "选择了竞争对手": 25, "预算不足": 15, "需求取消": 12, "联系不上": 10}
LOST_REASON_DETAILS = {
	"价格太高": ("对方比价后认为我司报价高出约{percent}%", "客户要求再降{percent}%，超出审批权限"),
	"选择了竞争对手": (
		"客户最终选择了本地供应商",
		"竞品报价低{percent}%，且交期更短",
		"客户选了原合作供应商",
	),
	"预算不足": ("今年预算被砍，项目推迟到明年", "资金紧张，暂缓采购"),
	"需求取消": ("客户项目取消", "客户调整了经营方向，不再需要"),
	"联系不上": ("多次电话微信均无回复", "对接人离职，新负责人联系不上"),
}
PAYMENT_METHODS_SMALL = (("WeChat Pay", 30), ("Alipay", 25), ("Bank Transfer", 45))
PAYMENT_METHODS_LARGE = (("Bank Transfer", 85), ("Bank Acceptance Bill", 15))
LARGE_PAYMENT = Decimal(50000)
DEPOSIT_SHARES = (Decimal("0.2"), Decimal("0.3"), Decimal("0.3"), Decimal("0.5"))
QUOTATION_VALID_DAYS = 30

# Deal titles by the main product's type
OPPORTUNITY_TITLES = {
	GOODS: (
		"{product}采购",
		"{product}采购项目",
		"{product}更新换代",
		"新厂区{product}配置",
		"{product}批量采购",
	),
	CONSUMABLE: ("{product}采购", "年度{product}框架采购", "{product}批量采购", "{product}试用转正式采购"),
	SERVICE: ("{product}项目", "{product}服务采购", "{product}合作", "年度{product}服务"),
}
OPPORTUNITY_DESCRIPTIONS = (
	"客户计划{need}，需要{product}，关注价格和交期",
	"现有供应商{feedback}，客户考虑更换，意向采购{product}",
	"客户{when}有一批{product}的需求，需提供报价和样品",
	"老客户复购{product}，要求保持上次价格",
	"客户想先小批量试用{product}，满意后年度采购",
)
# Interactions logged when a deal moves into a stage, by the stage's position in the funnel: (type, summary)
DEAL_SUMMARIES = {
	"new": (
		("Call", "{who}来电咨询{product}，初步了解需求"),
		("Visit", "拜访{who}，介绍我司{product}，对方有采购意向"),
		("WeChat", "{who}微信询问{product}价格，建立商机"),
	),
	1: (
		("Call", "与{who}电话确认{product}需求和预算，预计{when}采购"),
		("Visit", "现场勘察，确认{product}规格和数量"),
		("WeChat", "{who}微信发来需求清单，已确认{product}的规格"),
	),
	2: (
		("Email", "邮件发送{product}方案和报价单给{who}"),
		("Email", "邮件发送正式报价，{who}表示内部讨论后回复"),
		("Meeting", "向{who}讲解{product}方案，已提交报价"),
	),
	3: (
		("Meeting", "与{who}商谈合同条款和付款方式"),
		("Call", "{who}要求账期{days}天，正在协商"),
		("Email", "合同草稿已发给{who}审核，对方法务在看"),
	),
	"won": (
		("Visit", "{who}确认签订合同，安排{product}下单"),
		("WeChat", "合同已盖章回传，{who}确认首批订单"),
	),
	"lost": (
		("Call", "{who}告知{reason}，本次商机关闭"),
		("WeChat", "跟进{who}，对方表示{reason}，暂不合作"),
	),
	"unreachable": (("Call", "多次联系{who}均未回复，本次商机关闭"),),
	"other": (("Call", "商机推进到{stage}阶段，与{who}沟通下一步"),),
}
CONTRACT_TITLES = ("{opportunity}合同", "{customer}{product}购销合同", "{product}采购合同")


# Leads -------------------------------------------------------------------------------------------------------

# The options of CRM Lead's BANT select fields, for a context built without a site; the loader reads the
# DocType's own. Answers rank by the points CRM Settings gives them.
BANT_OPTIONS = {
	"Budget": ("Approved", "Planned", "No Budget", "Unknown"),
	"Authority": ("Decision Maker", "Influencer", "No Authority", "Unknown"),
	"Need": ("Definite", "Vague", "No Need"),
	"Timeline": ("Within 1 Month", "Within 3 Months", "Within 6 Months", "No Plan"),
}
BANT_FIELDS = {
	"Budget": "bant_budget",
	"Authority": "bant_authority",
	"Need": "bant_need",
	"Timeline": "bant_timeline",
}
# Answers that rule a lead out; where an admin renamed them, the answer worth the fewest points
DISQUALIFYING = {"Budget": "No Budget", "Authority": "No Authority", "Need": "No Need", "Timeline": "No Plan"}
OWNED_LEAD_STATUSES = (("New", 25), ("Contacted", 35), ("Qualified", 20), ("Unqualified", 20))
POOL_LEAD_STATUSES = (("New", 50), ("Contacted", 25), ("Unqualified", 25))
LEAD_POOL_SHARE = 0.10
LEAD_SHARE = 0.30  # leads per customer loaded
LEAD_CHANNEL_WEIGHTS = {
	"官网": 20,
	"抖音": 18,
	"展会": 15,
	"微信": 15,
	"电话": 12,
	"朋友推荐": 10,
	"淘宝": 5,
	"其他": 5,
}
LEAD_TITLES = (
	("总经理", "Decision Maker", 20),
	("老板", "Decision Maker", 12),
	("副总经理", "Decision Maker", 6),
	("厂长", "Decision Maker", 4),
	("采购经理", "Influencer", 18),
	("技术总监", "Influencer", 6),
	("项目经理", "Influencer", 6),
	("采购专员", "No Authority", 12),
	("行政主管", "No Authority", 10),
	("总经理助理", "No Authority", 6),
)
INQUIRIES = (
	"想了解{product}的价格和交期，需要{qty}{unit}左右",
	"请发一份{product}的报价和产品资料",
	"{product}有没有现货？最快什么时候能发货",
	"我们{need}，想咨询{product}，方便的话电话联系",
	"在{channel}上看到贵司的{product}，能否寄样品",
	"{product}可以开专票吗？月结怎么算",
)
LEAD_SUMMARIES = {
	"Call": (
		"电话联系{who}，了解{product}需求，对方{when}再沟通",
		"电话回访{who}，对方表示{feedback}",
		"给{who}打电话介绍{product}，对方让先发资料",
		"电话未接通，已发短信留言",
	),
	"WeChat": (
		"添加{who}微信，发送公司介绍和{product}资料",
		"微信跟进{who}，对方在比较几家供应商",
		"{who}微信询问{product}的价格，已报底价区间",
	),
	"Email": ("邮件发送{product}产品手册给{who}", "{who}邮件回复需要正式报价"),
	"Visit": ("上门拜访{who}，了解到对方计划{need}", "带{product}样品拜访{who}"),
	"Meeting": ("线上演示{product}，{who}参加", "{who}来公司参观展厅"),
	"Other": ("{who}在展会上留下联系方式，对{product}感兴趣", "整理线索信息，提交主管评估"),
}
LEAD_FEEDBACK = (
	"暂时没有预算",
	"需要跟老板汇报",
	"在比较几家供应商",
	"下个季度再考虑",
	"很感兴趣",
	"价格可以接受",
)
