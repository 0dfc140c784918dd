from groundswell.core.identity import email_domain, normalize_email, normalize_phone


def test_normalize_email():
    assert normalize_email(" Ana+Billing@Acme.COM ") == "ana@acme.com"
    assert normalize_email("j.o.e@gmail.com") == normalize_email("joe@googlemail.com") == "joe@gmail.com"
    assert normalize_email("not an email") is None


def test_email_domain_ignores_free_mail():
    assert email_domain("a@acme.com") == "acme.com"
    assert email_domain("a@gmail.com") is None
    assert email_domain("nope") is None


def test_normalize_phone():
    assert normalize_phone("+1 (415) 555-0100") == "+14155550100"
    assert normalize_phone("12-34") is None
