"""The Brightloop theme tree: two levels, in the product's own words, with owners and planted roles.

Phrasing lives in ``demo.phrasing_*``; this module only says what each theme *is* and how
customers tend to talk about it (intent mix, where it shows up). Planted roles:

- ``rising`` / ``falling``: weekly volume trends up / down across the window;
- ``spike``: jumps 5-8x baseline for several days right after release 4.12;
- ``enterprise_only``: only Enterprise accounts ever raise it;
- ``arr_heavy``: few mentions, all from the very highest-ARR accounts;
- ``omitted``: left out of the seed taxonomy so discovery has something real to find.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["PARENTS", "THEMES", "Parent", "Theme", "role_theme", "theme_by_id", "theme_parent"]


@dataclass(frozen=True)
class Parent:
    id: str
    name: str
    owner: str
    description: str
    subjects: tuple[str, ...]  # ticket subjects / topic titles people write for this area


@dataclass(frozen=True)
class Theme:
    id: str
    parent: str  # Parent.id
    name: str
    description: str
    aliases: tuple[str, ...]
    weight: float  # relative baseline volume
    intents: dict[str, float]  # intent -> weight
    sources: dict[str, float] = field(default_factory=dict)  # source -> affinity multiplier (default 1)
    role: str | None = None  # rising | falling | spike | enterprise_only | arr_heavy
    omitted: bool = False  # not in the seed taxonomy
    praise: bool = False

    @property
    def path(self) -> str:
        return f"{theme_parent(self).name} > {self.name}"


# fmt: off
PARENTS: tuple[Parent, ...] = (
    Parent("auth", "Authentication", "Identity team", "Signing in, SSO, MFA and sessions.",
           ("Can't log in", "Login issue", "SSO problem", "Locked out", "Sign-in question", "Access issue")),
    Parent("export", "Data export", "Data platform", "Getting data out: CSV/Excel exports and scheduled reports.",
           ("Export not working", "Export issue", "Report question", "Download problem", "Data export help")),
    Parent("integ", "Integrations", "Integrations team", "Connectors to CRM, chat, marketing tools and webhooks.",
           ("Integration issue", "Sync problem", "Connector question", "Salesforce/HubSpot sync", "Webhook help")),
    Parent("dash", "Dashboards", "Analytics team", "Analytics dashboards: speed, charts, sharing.",
           ("Dashboard issue", "Dashboards slow", "Chart question", "Reporting problem", "Sharing a dashboard")),
    Parent("auto", "Workflow automation", "Automation team", "Building and running automated workflows.",
           ("Workflow issue", "Automation not running", "Builder feedback", "Trigger question", "Workflow help")),
    Parent("billing", "Billing", "Billing ops", "Invoices, pricing, seats and payments.",
           ("Billing question", "Invoice", "Charge on my card", "Pricing question", "Payment issue")),
    Parent("mobile", "Mobile app", "Mobile", "The iOS/Android Brightloop app.",
           ("Mobile app issue", "App problem", "Android app", "iPhone app question", "Mobile feedback")),
    Parent("admin", "Admin & security", "Security & compliance", "Admin controls, roles, audit and compliance.",
           ("Security question", "Admin settings", "Compliance request", "Permissions", "Security review")),
    Parent("support", "Support experience", "Customer support ops", "How our support and docs serve customers.",
           ("Support feedback", "Waiting on a reply", "Docs question", "Escalation", "Help center")),
    Parent("kudos", "Kudos", "Product marketing", "Praise: what customers love.",
           ("Thank you", "Feedback", "Just wanted to say", "Kudos", "Love the product")),
)

_P = {"bug_report": 0.42, "complaint": 0.22, "question": 0.16, "churn_risk": 0.05, "feature_request": 0.08,
      "other": 0.07}
_Q = {"question": 0.45, "bug_report": 0.15, "complaint": 0.12, "feature_request": 0.18, "other": 0.1}
_R = {"feature_request": 0.62, "question": 0.16, "complaint": 0.1, "churn_risk": 0.04, "other": 0.08}
_C = {"complaint": 0.44, "churn_risk": 0.22, "question": 0.2, "bug_report": 0.04, "other": 0.1}
_K = {"praise": 0.9, "other": 0.1}
_MOB = {"googleplay": 4.0, "gong": 0.2}
_ENT = {"gong": 3.0, "googleplay": 0.0, "discourse": 0.4}
_NOPLAY = {"googleplay": 0.05}

THEMES: tuple[Theme, ...] = (
    Theme("auth.sso_login", "auth", "SSO login failures",
          "SAML/OIDC single sign-on fails, loops or rejects users.",
          ("sso", "saml login", "okta login loop", "azure ad sign-in"), 1.3, _P, _NOPLAY),
    Theme("auth.mfa_codes", "auth", "Two-factor codes",
          "MFA/2FA codes not arriving, expiring, or authenticator resets.",
          ("2fa", "mfa", "verification code", "authenticator"), 0.9, _P, {"googleplay": 1.5}),
    Theme("auth.session_timeout", "auth", "Sessions expiring too soon",
          "Users logged out mid-work; session length.",
          ("session timeout", "logged out", "auto logout"), 0.7, {**_Q, "complaint": 0.3}),
    Theme("export.csv_timeout", "export", "CSV export timeouts",
          "Large CSV exports time out, stall or arrive empty.",
          ("csv export", "export timeout", "download stuck"), 1.0, _P, _NOPLAY, role="spike"),
    Theme("export.scheduled_reports", "export", "Scheduled reports not delivered",
          "Scheduled report emails arrive late, empty or not at all.",
          ("scheduled report", "report email", "weekly digest"), 0.8, _P, _NOPLAY),
    Theme("export.excel_formatting", "export", "Excel export formatting",
          "xlsx exports mangle dates, numbers, encodings or column order.",
          ("xlsx", "excel dates", "encoding"), 0.6, _P, _NOPLAY),
    Theme("integ.salesforce_sync", "integ", "Salesforce sync errors",
          "Salesforce connector fails, duplicates records or drops fields.",
          ("sfdc sync", "salesforce connector", "crm sync"), 1.1, _P, _ENT),
    Theme("integ.slack_alerts", "integ", "Slack notifications",
          "Slack alerts delayed, duplicated or sent to wrong channel.",
          ("slack alerts", "slack app", "channel notifications"), 0.8, _P, _NOPLAY),
    Theme("integ.hubspot_mapping", "integ", "HubSpot field mapping",
          "Mapping custom HubSpot properties to Brightloop fields.",
          ("hubspot", "field mapping", "custom properties"), 0.6, _Q, _NOPLAY),
    Theme("integ.webhook_retries", "integ", "Webhook delivery failures",
          "Outgoing webhooks silently fail, retry storms, no delivery log.",
          ("webhooks", "retry", "callback url"), 0.6, _P, _NOPLAY, omitted=True),
    Theme("dash.slow_loading", "dash", "Slow loading",
          "Dashboards and widgets take too long to load or time out.",
          ("slow dashboards", "performance", "spinner"), 1.0, _P, role="rising"),
    Theme("dash.chart_timezones", "dash", "Timezone mismatch in charts",
          "Charts bucket data in UTC / wrong timezone; numbers off by a day.",
          ("timezone", "utc", "date buckets"), 0.6, _P, _NOPLAY, omitted=True),
    Theme("dash.sharing", "dash", "Sharing & embedding dashboards",
          "Sharing dashboards with guests, public links, embeds.",
          ("share link", "embed", "guest access"), 0.7, _R, _NOPLAY),
    Theme("auto.builder_ux", "auto", "Workflow builder usability",
          "The visual workflow builder is hard to use or buggy.",
          ("workflow editor", "canvas", "drag and drop"), 0.9, {**_P, "feature_request": 0.2}),
    Theme("auto.triggers", "auto", "Triggers not firing",
          "Automation triggers skip runs, fire late or twice.",
          ("trigger", "automation runs", "scheduled workflow"), 1.0, _P, _NOPLAY),
    Theme("auto.approvals", "auto", "Approval steps",
          "Multi-step approvals, conditional branches, approver groups.",
          ("approvals", "approval flow", "sign-off step"), 0.7, _R, _NOPLAY),
    Theme("billing.invoices", "billing", "Invoice confusion",
          "Invoices hard to read, wrong entity, proration surprises.",
          ("invoice", "proration", "billing statement"), 0.9, _Q, {"googleplay": 0.1}),
    Theme("billing.seat_pricing", "billing", "Seat pricing",
          "Per-seat price increases, paying for inactive seats.",
          ("pricing", "price increase", "seats"), 0.8, _C, {"googleplay": 0.3, "gong": 2.0}),
    Theme("billing.payment_failures", "billing", "Card payment failures",
          "Card declined, double charges, failed renewals.",
          ("card declined", "double charge", "payment failed"), 0.5, _P, {"googleplay": 0.2}),
    Theme("mobile.offline_mode", "mobile", "Offline mode",
          "Using the app without connectivity; sync after reconnect.",
          ("offline", "no signal", "sync later"), 0.8, _R, _MOB),
    Theme("mobile.push", "mobile", "Push notifications missing",
          "Push notifications not arriving or arriving late.",
          ("push", "notifications", "alerts on phone"), 0.9, _P, _MOB, role="falling"),
    Theme("mobile.crashes", "mobile", "App crashes",
          "Mobile app crashes on launch or when opening dashboards.",
          ("crash", "force close", "app closes"), 0.9, _P, _MOB),
    Theme("mobile.biometric", "mobile", "Biometric login",
          "Face ID / fingerprint unlock in the mobile app.",
          ("face id", "fingerprint", "touch id"), 0.5, _R, _MOB, omitted=True),
    Theme("admin.audit_log", "admin", "Audit log retention",
          "Audit logs kept too briefly, not exportable to SIEM.",
          ("audit trail", "siem", "log retention"), 0.45, _C, _ENT, role="enterprise_only"),
    Theme("admin.data_residency", "admin", "EU data residency",
          "Hosting data in the EU / region pinning for compliance.",
          ("data residency", "eu hosting", "gdpr region"), 0.0, _C, _ENT, role="arr_heavy", omitted=True),
    Theme("admin.custom_roles", "admin", "Custom roles & permissions",
          "Granular roles, field-level permissions, SCIM.",
          ("roles", "rbac", "permissions"), 0.7, _R, _NOPLAY),
    Theme("support.response_time", "support", "Slow support responses",
          "Waiting too long for support answers.",
          ("support sla", "no reply", "ticket waiting"), 0.6, _C, {"discourse": 0.3}),
    Theme("support.docs", "support", "Documentation gaps",
          "Docs missing, outdated, or unclear.",
          ("docs", "help center", "api reference"), 0.6, _Q, {"discourse": 2.0, "googleplay": 0.2}),
    Theme("kudos.ease_of_use", "kudos", "Ease of use",
          "Customers praising how simple Brightloop is.",
          ("easy to use", "intuitive", "ux praise"), 0.9, _K, {"delighted": 3.0, "googleplay": 2.0}, praise=True),
    Theme("kudos.support_team", "kudos", "Helpful support team",
          "Customers thanking support/CS staff.",
          ("great support", "csm praise"), 0.6, _K, {"delighted": 3.0, "zendesk": 1.5}, praise=True),
    Theme("kudos.time_savings", "kudos", "Time saved with automations",
          "Automations saving hours of manual work.",
          ("roi", "hours saved", "productivity"), 0.7, _K, {"delighted": 3.0, "gong": 1.5}, praise=True),
)
# fmt: on

_BY_ID = {t.id: t for t in THEMES}
_PARENT_BY_ID = {p.id: p for p in PARENTS}


def theme_by_id(theme_id: str) -> Theme:
    return _BY_ID[theme_id]


def theme_parent(theme: Theme) -> Parent:
    return _PARENT_BY_ID[theme.parent]


def role_theme(role: str) -> Theme:
    """The one theme that plays a planted role."""
    return next(t for t in THEMES if t.role == role)
