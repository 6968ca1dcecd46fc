import pytest

from crm_app.domain.email import normalize_email
from crm_app.domain.errors import DomainError


def test_email_is_trimmed_and_lower_cased():
	assert normalize_email("  Sales@XinYe.COM.cn ") == "sales@xinye.com.cn"


@pytest.mark.parametrize(
	"raw", ["sales", "sales@", "@xinye.cn", "sales@xinye", "a b@xinye.cn", "a@@b.cn", "a@b..cn", "a@b.c"]
)
def test_malformed_email_is_refused(raw):
	with pytest.raises(DomainError):
		normalize_email(raw)


def test_empty_email_is_none():
	assert normalize_email("  ") is None
