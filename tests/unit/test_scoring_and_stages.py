from crm_app.defaults import BANT_WEIGHTS
from crm_app.domain.scoring import bant_score
from crm_app.domain.stages import Facts, Requirement, furthest, gate_applies, unmet_requirements

WEIGHTS = {(dimension, answer): points for dimension, answer, points in BANT_WEIGHTS}


def test_best_answers_score_100():
	answers = {
		"Budget": "Approved",
		"Authority": "Decision Maker",
		"Need": "Definite",
		"Timeline": "Within 1 Month",
	}
	assert bant_score(answers, WEIGHTS) == 100


def test_unanswered_and_unknown_answers_score_nothing():
	assert bant_score({}, WEIGHTS) == 0
	assert bant_score({"Budget": "Whatever"}, WEIGHTS) == 0


def test_score_is_capped():
	assert bant_score({"Budget": "Approved"}, {("Budget", "Approved"): 500}) == 100
	assert bant_score({"Budget": "Approved"}, {("Budget", "Approved"): -5}) == 0


def test_shipped_weights_never_exceed_100():
	best = {}
	for dimension, _answer, points in BANT_WEIGHTS:
		best[dimension] = max(best.get(dimension, 0), points)
	assert sum(best.values()) == 100


def test_unmet_requirements_are_listed():
	requirements = [
		Requirement("Field", fieldname="amount"),
		Requirement("Linked Document", document_type="CRM Quotation", submitted_only=True),
		Requirement("Attachment"),
	]
	facts = Facts(
		filled_fields={"amount"}, documents={"CRM Quotation": 1}, submitted_documents={"CRM Quotation": 0}
	)
	assert unmet_requirements(requirements, facts) == requirements[1:]
	facts.submitted_documents["CRM Quotation"] = 1
	facts.attachments = 2
	assert unmet_requirements(requirements, facts) == []


def test_gates_apply_forward_and_always_into_a_won_stage():
	assert gate_applies(None, 10)
	assert gate_applies(10, 20)
	assert not gate_applies(30, 20)
	assert gate_applies(60, 50, to_won=True)  # from the lost stage, ordered after the won one
	assert gate_applies(50, 50, to_won=True)


def test_the_furthest_stage_leaves_lost_and_deleted_stages_aside():
	orders = {"初步接触": 10, "需求确认": 20, "方案报价": 30}
	assert furthest(orders, ["初步接触", "方案报价", "需求确认"]) == "方案报价"
	assert furthest(orders, [None, "需求确认", "输单"]) == "需求确认"  # 输单 is lost: not in the orders
	assert furthest(orders, ["输单", "已删除的阶段"]) is None
