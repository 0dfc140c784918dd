"""Name gazetteer: first names and surnames from Faker's per-locale person providers (MIT), plus the word lists
that keep product words, places, months and ordinary words from ever counting as names on their own.

Loaded once per process (``gazetteer()``), from the installed package: no file download, no network.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["AMBIGUOUS_FIRST_NAMES", "COMMON_WORDS", "PLACE_OR_ORG_WORDS", "Gazetteer", "gazetteer", "load_faker_names"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Locales whose names are written in Latin script (romanised lists where Faker has them: ja_JP, zh_CN, ko_KR ...).
_LOCALES = _words(
    "en en_US en_GB en_IE en_IN en_NG en_KE en_NZ en_PK es_ES es_MX es_AR es_CO fr_FR fr_CA de_DE de_AT it_IT "
    "pt_BR pt_PT nl_NL nl_BE pl_PL cs_CZ sk_SK sv_SE da_DK no_NO fi_FI is_IS et_EE lv_LV lt_LT hu_HU ro_RO hr_HR "
    "sl_SI tr_TR az_AZ vi_VN id_ID hi_IN ja_JP zh_CN zh_TW ko_KR yo_NG ig_NG ha_NG sw zu_ZA tw_GH ga_IE"
)
_FIRST_ATTRS = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
    "first_romanized_names",
)
_LAST_ATTRS = ("last_names", "last_romanized_names")
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'’-]+$")

# First names that are also ordinary words, months or places: a name only with a surname or after a cue.
AMBIGUOUS_FIRST_NAMES = _words(
    """
    May Will Mark Bill Grace Hope Chase Summer April June July August Rose Jack Art Sky Joy Faith Dawn Autumn Winter
    Sunny Rich Bob Pat Sue Don Ray Gene Lee Max Miles Frank Frankie Harmony Honor Justice Liberty Ivy Lily Iris Olive
    Pearl Ruby Amber Crystal Jade Violet Daisy Holly Heather Robin Jay Drew Dean Lane Page Hunter Wade Young Reed Cliff
    Glen Dale Rod Guy Sonny Tucker Gray Grey Storm River Brook Brooks Forest Rock Stone Star Price Penny Buck Carol
    Christian Royal Prince Noble Sterling Major Bishop Earl Duke King Queen Paris London Austin Sydney Berlin Florence
    Dallas Houston Phoenix Denver Jordan Georgia Virginia Carolina Chelsea Madison India China Kenya Israel America
    Lincoln Washington Victoria Adelaide Orlando Charlotte Savannah Brooklyn Sierra Dakota Montana Nevada Asia Africa
    Eden Haven Genesis Trinity Destiny Harley Mercedes Porsche Lexus Tesla Bentley Kia Jaguar Mac Apple Angel Baby
    Cash Champ Chance Cloud Ace Blue Red Rusty Sandy Goldie Candy Ginger Honey Sugar Happy Merry Constance Patience
    Prudence Trust Unique Precious Marvel Echo Nova Luna Sol Sonia Rain Raine Lake Ocean Sea Bay Cherry Poppy Sage
    Basil Clay Cole Colt Tanner Cooper Carter Mason Porter Parker Taylor Spencer Fisher Baker Miller Sawyer Archer
    Ash Ashes Shadow Ranger Maverick Scout Bear Wolf Fox Hawk Raven Jewel Mercy Verity Grant Bliss Ember Arch Price
    Caesar Cesar Augustus Napoleon Homer Apollo Atlas Fortune Hermes Mercury Venus Orion Nike
    Al Ed Jo Di Vi Ty Bo Ki Ai Lu Su An Le Li Nu Do Ha My Un Go Ok Yu Ion Kit Pip Dot
    """
)

# Capitalised words seen in support text that are never a name by themselves (also used to end a name run).
COMMON_WORDS = _words(
    """
    The A An This That These Those It Its We You They He She I Our Your Their His Her Team Support Customer Customers
    Everyone All Sales Monday Tuesday Wednesday Thursday Friday Saturday Sunday Today Tomorrow Yesterday January
    February March April May June July August September October November December Hi Hello Hey Thanks Thank Regards
    Best Cheers Sincerely Dear Please Yes No Not So And But Or If When Also Just Here There Again Kind Warm Many Much
    More Great Good Sorry Feature Features Product Products Account Accounts Admin Billing Release Version Dashboard
    Builder Sync Export Import Report Reports Settings Login Logout Error Errors Mobile App Apps Web Desktop Chrome
    Firefox Safari Edge Windows Linux Android Iphone Ipad Google Apple Microsoft Slack Jira Zendesk Intercom Salesforce
    Hubspot Stripe Github Gitlab Notion Excel Sheets Docs Drive Teams Zoom Outlook Gmail Api Sso Csv Pdf Is Was Are
    Be In On At For To Of My Me Us Him Them Via Using With Without Any Some Mr Mrs Ms Miss Mx Dr Prof New Old Update
    Updates Upgrade Plan Plans Pro Free Basic Premium Enterprise Business Personal Home Page Pages Search Filter
    Filters Data Field Fields Form Forms User Users Workspace Project Projects Task Tasks Board Boards Calendar Chart
    Charts Integration Integrations Webhook Webhooks Notification Notifications Email Emails Phone Call Calls Chat
    Inbox Invoice Invoices Payment Payments Order Orders Ticket Tickets Issue Issues Bug Bugs Crash Fix Fixed Help
    Ok Okay Hmm Wow Oh Ah Well Now Then Still Why What Who How Where Which Can Could Would Should Will Shall Might
    Must Do Does Did Done Has Have Had Get Got Let Make Made See Seen Use Used Try Tried Need Needs Want Wants Like
    One Two Three First Second Third Last Next Other Every Each Both Few Most Same Such Own Only Very Really Quite
    Maybe Perhaps Actually Still Yet Already Even Ever Never Always Sometimes Often Since Until After Before During
    While Because Though Although However Therefore Anyway Meanwhile Unfortunately Fortunately Otherwise Overall
    North South East West Northern Southern Eastern Western Central Street Avenue Road Suite Apt Inc Ltd Llc Corp
    Company Group Bank University College School Hospital City County State States United Kingdom Republic Europe
    European American British English French German Spanish Italian Chinese Japanese Indian Brazil Canada Mexico
    Germany France Spain Italy Japan Netherlands Finland Sweden Norway Denmark Poland Ireland Australia Zealand
    Acme Manager Director Engineer Developer Designer Analyst Owner Founder Ceo Cto Cfo Vp Head Lead Senior
    Junior Staff Office Contact Sir Madam Ma'am Folks Guys Everybody Somebody Anyone Someone Nobody Nothing Something
    Edit Bulk Custom Request Love Carry Orange Danish Royal Princess Prince Day Night Morning Evening Christmas
    Easter Labor Labour Holiday Ask Tell Ping Send Loop Forward Reply Remind Invite Add Assign Escalate Cc Bcc
    """
)

# A run of capitalised words holding one of these is a street, place or organisation, not a person.
PLACE_OR_ORG_WORDS = _words(
    """
    St Street Rd Road Ave Avenue Blvd Boulevard Way Lane Ln Drive Court Ct Place Pl Square Sq Park Parks Hill Hills
    Creek Cliffs Cliff Pass Bridge Mall Point Fort Vue Green Gardens Garden Terrace Row Close Crescent Grove Heights
    Valley Ridge Lake Lakes River Harbor Harbour Port Island Islands Beach Mount Mountain Station Plaza Highway Hwy
    Rua Rue Avenida Via Calle Piazza Piazzetta Viale Strasse Straße Weg Laan Plein Gatan Vägen Ulica Ul Allee Platz
    Inc Ltd Llc Plc Corp Corporation Co Company Group Agency Investments Finance Financial Movers Orchestra Ratings
    Bank Partners Holdings Industries Solutions Services Systems Technologies Labs Foundation Institute Association
    Society Club Hotel Restaurant Cafe Store Stores Shop Market Airlines Airport Church Cathedral Museum Theatre
    Theater Stadium Hospital University College School Academy Records Music Band Studios Media News Times Post
    """
)


def load_faker_names(locales: Iterable[str] = _LOCALES) -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) in Latin script from Faker's person providers for ``locales``."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attrs, target in ((_FIRST_ATTRS, first), (_LAST_ATTRS, last)):
            for attr in attrs:
                values = getattr(provider, attr, None) or ()
                target.update(value for value in values if _LATIN_NAME.match(value))
    return frozenset(first), frozenset(last)


@dataclass(frozen=True)
class Gazetteer:
    """``first``/``last``: names usable as evidence (common words removed); ``ambiguous``: first names needing more."""

    first: frozenset[str]
    last: frozenset[str]
    ambiguous: frozenset[str] = AMBIGUOUS_FIRST_NAMES
    common: frozenset[str] = COMMON_WORDS

    @classmethod
    def build(cls, first: Iterable[str], last: Iterable[str]) -> Gazetteer:
        return cls(
            first=frozenset(first) - COMMON_WORDS,
            last=frozenset(last) - COMMON_WORDS - AMBIGUOUS_FIRST_NAMES,
        )

    def with_names(self, first: Iterable[str], last: Iterable[str]) -> Gazetteer:
        """The gazetteer plus names known from elsewhere (the identity graph)."""
        return Gazetteer(
            self.first | (set(first) - self.common), self.last | (set(last) - self.common - self.ambiguous)
        )


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The default gazetteer (Faker's names), built once per process."""
    return Gazetteer.build(*load_faker_names())
