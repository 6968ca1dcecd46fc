"""The knowledge base's terms: Chinese segmentation, folding, stop words, HTML, weights, BM25's idf, the
unanswered-search key and the checks on what is typed."""

import pytest

from crm_app.domain.errors import DomainError
from crm_app.domain.search_terms import (
	MAX_QUERY_LENGTH,
	MAX_RESULTS,
	MAX_TERM_LENGTH,
	TITLE_WEIGHT,
	article_terms,
	check_result_count,
	check_search_text,
	excerpt,
	idf,
	plain_text,
	query_key,
	query_terms,
	terms,
)


def test_a_question_and_a_title_share_their_words_not_their_filler():
	question = query_terms("打印机卡纸怎么办")
	title = set(terms("打印机卡纸处理方法"))
	assert question == ["打印", "印机", "打印机", "卡纸"]
	assert set(question) <= title


def test_search_engine_mode_adds_the_words_inside_a_long_one():
	assert {"净水", "净水器", "滤芯"} <= set(terms("净水器滤芯多久更换"))


def test_stop_words_and_punctuation_are_dropped():
	assert query_terms("请问，如何 更换 硒鼓？？") == ["更换", "硒鼓"]
	assert query_terms("怎么办？") == []
	assert query_terms("How do I reset the router") == ["reset", "router"]


def test_english_and_digits_are_lower_case_words_and_lone_letters_are_not():
	assert terms("HP LaserJet M1136 出现E3错误，A&B") == [
		"hp",
		"laserjet",
		"m1136",
		"出现",
		"e3",
		"错误",
	]


def test_full_width_and_traditional_characters_fold_to_what_articles_hold():
	assert query_terms("ＨＰ　ＬａｓｅｒＪｅｔ") == ["hp", "laserjet"]
	assert "卡纸" in query_terms("卡紙怎麼辦")


def test_runs_too_long_for_the_index_are_no_terms():
	assert terms("序列号 " + "x" * (MAX_TERM_LENGTH + 1)) == ["序列", "序列号"]


def test_title_terms_outweigh_body_terms():
	weights = article_terms("硒鼓更换", "<p>取出旧硒鼓，装入新的。</p>")
	assert weights["硒鼓"] == TITLE_WEIGHT + 1
	assert weights["更换"] == TITLE_WEIGHT
	assert weights["取出"] == 1


def test_only_what_a_reader_sees_of_the_body_is_indexed():
	html = (
		'<div class="ql-editor"><p>先<strong>关机</strong>再开机&nbsp;&amp;重试</p>'
		"<script>var 卡纸 = 1</script><style>p{color:red}</style><p>第二段</p></div>"
	)
	assert plain_text(html) == "先关机再开机 &重试\n第二段"
	weights = article_terms("", html)
	assert "关机" in weights and "卡纸" not in weights and "color" not in weights


def test_block_tags_separate_words_and_inline_tags_do_not():
	assert plain_text("<p>打印</p><p>机</p>") == "打印\n机"
	assert plain_text("<b>打印</b>机") == "打印机"
	assert plain_text(None) == ""


def test_rare_terms_weigh_more_and_none_weighs_less_than_nothing():
	assert idf(10_000, 3) > idf(10_000, 300) > idf(10_000, 10_000) > 0


def test_searches_with_the_same_words_share_a_key():
	assert query_key("打印机卡纸怎么办？") == query_key("卡纸，打印机") == "卡纸 打印机"
	assert query_key("怎么办？？") == "怎么办??"
	assert len(query_key("卡纸" * 200)) <= 140


def test_an_excerpt_shows_the_words_found():
	text = "开头" * 100 + "打印机卡纸时请先断电" + "结尾" * 100
	shown = excerpt(text, ["卡纸"], width=40)
	assert "卡纸" in shown and shown.startswith("…") and shown.endswith("…")
	assert excerpt("短文", ["没有"]) == "短文"


def test_what_is_typed_is_checked():
	assert check_search_text("  打印机卡纸  ", "Search Text") == "打印机卡纸"
	for bad, message in (
		("", "Type what you are looking for"),
		("   ", "Type what you are looking for"),
		(None, "Type what you are looking for"),
		("卡" * (MAX_QUERY_LENGTH + 1), "{0} is too long: at most {1} characters"),
		("a\x00b", "{0} contains characters that are not allowed"),
		(["卡纸"], "{0} must be text"),
	):
		with pytest.raises(DomainError) as refused:
			check_search_text(bad, "Search Text")
		assert refused.value.message == message


def test_the_number_of_results_is_checked():
	assert check_result_count("5", "Results") == 5
	for bad in (0, MAX_RESULTS + 1, "abc", 1.5, None):
		with pytest.raises(DomainError):
			check_result_count(bad, "Results")
