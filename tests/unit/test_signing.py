from crm_app.domain.signing import key_matches, link_key


def test_a_key_opens_only_its_own_record_and_moment():
	key = link_key("secret", "TKT-2026-00001", "2026-12-07 10:00:00")
	assert key_matches("secret", key, "TKT-2026-00001", "2026-12-07 10:00:00")
	assert not key_matches("secret", key, "TKT-2026-00002", "2026-12-07 10:00:00")
	assert not key_matches("secret", key, "TKT-2026-00001", "2026-12-08 10:00:00")
	assert not key_matches("another secret", key, "TKT-2026-00001", "2026-12-07 10:00:00")


def test_parts_cannot_be_shifted_between_each_other():
	assert link_key("s", "ab", "c") != link_key("s", "a", "bc")


def test_anything_but_the_key_fails():
	for key in (None, "", 123, "0" * 64):
		assert not key_matches("secret", key, "TKT-2026-00001", "x")
