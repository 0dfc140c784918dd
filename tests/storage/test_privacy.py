from groundswell.storage.db import session_scope
from groundswell.storage.privacy import erase_pseudonyms, get_ciphertexts, store_pseudonyms


def test_vault_stores_once_and_erasure_destroys_originals(engine):
    with session_scope(engine) as session:
        known: set[str] = set()
        assert (
            store_pseudonyms(
                session=session, entries={"<EMAIL_19c2>": b"enc-1", "<PERSON_7f3a>": b"enc-2"}, known=known
            )
            == 2
        )
        assert store_pseudonyms(session=session, entries={"<EMAIL_19c2>": b"enc-1"}, known=known) == 0
    with session_scope(engine) as session:
        assert store_pseudonyms(session=session, entries={"<EMAIL_19c2>": b"other"}) == 0
        assert get_ciphertexts(session=session, tokens=["<EMAIL_19c2>", "<PERSON_7f3a>"]) == {
            "<EMAIL_19c2>": b"enc-1",
            "<PERSON_7f3a>": b"enc-2",
        }
        assert erase_pseudonyms(session=session, tokens=["<PERSON_7f3a>"]) == 1
    with session_scope(engine) as session:
        assert get_ciphertexts(session=session, tokens=["<PERSON_7f3a>"]) == {}
