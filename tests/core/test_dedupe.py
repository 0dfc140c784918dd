from datetime import UTC, datetime, timedelta

from groundswell.core.dedupe import DedupeItem, find_duplicates

T = datetime(2026, 6, 1, tzinfo=UTC)


def _item(uid, text, days=0, person=None, account=None):
    return DedupeItem(uid, text, T + timedelta(days=days), person, account)


def test_same_customer_same_complaint_across_sources_is_linked_to_the_earliest():
    items = [
        _item("b", "our PTO request flow just stopped running, the run history is empty.", 3, person=1),
        _item("a", "Our PTO request flow just stopped running, the run history is empty", 0, person=1),
        _item("c", "Our PTO request flow just stopped running and the history is empty!!", 5, person=1),
    ]
    assert find_duplicates(items) == {"b": "a", "c": "a"}


def test_different_customers_saying_the_same_thing_are_not_merged():
    text = "The CSV export times out every single night since the update"
    assert find_duplicates([_item("a", text, person=1), _item("b", text, person=2)]) == {}


def test_anonymous_reviews_are_never_linked_and_the_window_applies():
    review = "Bug: push alerts come through for some workflows but not others."
    assert find_duplicates([_item("a", review), _item("b", review, 1)]) == {}  # strangers, same words
    assert find_duplicates([_item("a", review, 0, person=1), _item("b", review, 30, person=1)]) == {}
    assert find_duplicates([_item("a", review, 0, person=1), _item("b", review, 3, person=1)]) == {"b": "a"}


def test_greetings_in_front_do_not_hide_a_repeat_but_short_chatter_is_not_a_report():
    body = "the download link in the export email is expired by the time I open it"
    items = [_item("a", "Hey there,\n\n" + body, 0, account=7), _item("b", "hi " + body + " thanks", 2, account=7)]
    assert find_duplicates(items) == {"b": "a"}
    assert find_duplicates([_item("a", "Got it, thanks.", person=1), _item("b", "Got it, thanks.", 1, person=1)]) == {}
