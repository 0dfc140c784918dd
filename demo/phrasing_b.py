"""Phrasing bank, part B: workflow automation, billing, mobile, admin & security, support, kudos.

Same shape as ``demo.phrasing_a``.
"""

from __future__ import annotations

BANK_B: dict[str, dict[str, tuple]] = {
    "auto.builder_ux": {
        "says": (
            "the workflow editor jumps around when I drag a step onto the canvas",
            "I can't undo in the builder, one misclick and the branch is gone",
            "connecting steps with the little arrows is fiddly on a laptop trackpad",
            "the canvas gets unreadable once a flow has more than 20 steps",
            "saving the {workflow} workflow throws 'validation failed' without saying which step",
            "the builder freezes when I copy a block with conditions",
            "zooming out on the canvas makes the labels unreadable",
            "it's really hard to see which version of the {workflow} flow is live",
        ),
        "asks": (
            "can we get undo/redo in the workflow builder",
            "could you add comments or sticky notes on the canvas",
            "is there a way to duplicate a whole branch",
            "please add a search box to find a step in big workflows",
        ),
        "foreign": (("es", "El editor de flujos se congela cuando copio un bloque con condiciones"),),
    },
    "auto.triggers": {
        "says": (
            "the {workflow} automation didn't fire {when}",
            "scheduled workflows run an hour late after the clock change",
            "a trigger fired twice and we sent {count} duplicate emails to customers",
            "record-updated triggers don't run when the change comes from the API",
            "our {workflow} flow just stopped running, the run history is empty",
            "automations are skipping records created in bulk imports",
            "the 'when field changes' trigger ignores changes to {field}",
            "runs are stuck in 'queued' for hours",
            "the cron schedule says every 15 minutes but it runs maybe once an hour",
        ),
        "asks": (
            "is there a way to re-run a workflow for records it missed",
            "can we get an alert when an automation fails",
            "how do I see why a trigger didn't fire",
        ),
        "foreign": (
            ("de", "Die Automatisierung für {workflow} wurde heute nicht ausgelöst"),
            ("pt", "O gatilho do fluxo não disparou e perdemos os pedidos de ontem"),
        ),
    },
    "auto.approvals": {
        "says": (
            "approvals only support a single approver, our {workflow} needs finance and legal",
            "we have to build a separate flow for every approval path",
            "there's no way to approve from email, people have to log in",
            "when an approver is on vacation the {workflow} request just sits there",
        ),
        "asks": (
            "can approval steps have conditional routing based on amount, like over {amount} goes to the CFO",
            "please add parallel approvals where two people sign off",
            "could approvers delegate to someone else while they're out",
            "is there a way to approve straight from Slack",
            "we'd love approval groups so anyone in finance can sign off",
            "can we set a deadline that escalates an approval if nobody responds",
        ),
        "foreign": (
            (
                "fr",
                "Serait-il possible d'avoir des approbations en parallèle pour le service juridique et la finance ?",
            ),
        ),
    },
    "billing.invoices": {
        "says": (
            "our invoice shows {amount} but the quote said something else",
            "I can't tell which line on the invoice is for which workspace",
            "the proration charges this month make no sense to our finance team",
            "invoices are addressed to our old legal entity",
            "we got charged for the annual plan and the monthly plan in the same month",
            "the invoice PDF doesn't include our VAT number, so accounting rejected it",
            "there are {count} line items called 'adjustment' and nobody can explain them",
        ),
        "asks": (
            "can you resend the {month} invoice with our PO number on it",
            "how is the proration calculated when we add seats mid-term",
            "is it possible to get one consolidated invoice for all our subsidiaries",
            "where can I download past invoices",
            "could invoices be emailed to our AP inbox automatically",
        ),
        "foreign": (
            ("es", "La factura de {month} no coincide con el presupuesto que nos enviaron"),
            ("de", "Auf der Rechnung fehlt unsere Umsatzsteuer-ID"),
        ),
    },
    "billing.seat_pricing": {
        "says": (
            "the price per seat went up {pct} at renewal with barely any notice",
            "we pay for seats of people who log in once a quarter",
            "the new pricing makes it hard to justify rolling Brightloop out to {users}",
            "{competitor} quoted us half of what we pay you",
            "viewer-only users shouldn't cost the same as builders",
            "our budget was approved for the old price, the increase is a real problem",
            "it feels like we're being punished for growing, every new hire is another full seat",
        ),
        "asks": (
            "is there a cheaper tier for read-only users",
            "can we reassign seats from people who left instead of buying new ones",
            "would you consider usage-based pricing for the automation features",
        ),
        "foreign": (("pt", "O aumento de {pct} no preço por usuário é difícil de justificar"),),
    },
    "billing.payment_failures": {
        "says": (
            "our card was declined on renewal even though it's valid",
            "we were charged twice this month, {amount} each time",
            "the payment page errors out when I add a new card",
            "renewal failed and now the workspace is in read-only mode",
            "3-D Secure never pops up so the charge just fails",
            "autopay didn't go through and we only found out when access was cut",
        ),
        "asks": (
            "can we pay by bank transfer instead of card",
            "how do I update the card on file",
            "can you refund the duplicate charge",
        ),
        "foreign": (("fr", "Notre carte a été refusée au renouvellement alors qu'elle est valide"),),
    },
    "mobile.offline_mode": {
        "says": (
            "the app is useless when there's no signal, it won't even open my tasks",
            "changes I make in airplane mode vanish when I reconnect",
            "our field techs work in basements with no reception and can't complete checklists",
            "after going offline the app shows a blank screen instead of cached data",
            "the app lost my notes from the site visit because I had no connection",
        ),
        "asks": (
            "please add an offline mode so we can fill forms without internet",
            "can the app cache dashboards for viewing on flights",
            "is there a way to queue updates and sync them when I'm back online",
            "any plans for offline support on Android",
        ),
        "foreign": (
            ("es", "La aplicación no funciona sin conexión, necesitamos un modo offline"),
            ("pt", "Sem internet o app não abre nada, precisamos de modo offline"),
        ),
    },
    "mobile.push": {
        "says": (
            "push notifications stopped arriving on my {device}",
            "I don't get any alerts on my phone unless the app is open",
            "notifications show up hours late on {os}",
            "approval requests never ping me on mobile",
            "the app doesn't notify me when someone mentions me",
            "push alerts come through for some workflows but not others",
            "I turned notifications on everywhere and still nothing",
        ),
        "asks": (
            "can I choose which events send a push notification",
            "is there a quiet hours setting for phone alerts",
        ),
        "foreign": (
            ("de", "Ich bekomme keine Push-Benachrichtigungen mehr auf meinem Handy"),
            ("es", "No me llegan las notificaciones en el móvil"),
        ),
    },
    "mobile.crashes": {
        "says": (
            "the app crashes as soon as I open it on my {device}",
            "it force closes every time I tap on a dashboard",
            "after the update the app just shows the splash screen and dies",
            "keeps crashing on {os}, reinstalling didn't help",
            "app quits when I try to upload a photo to a task",
            "crashes whenever I rotate the phone",
            "constant crashes, unusable",
            "opening a notification crashes the app",
        ),
        "asks": ("is there a fix coming for the crashes on {os}",),
        "foreign": (
            ("pt", "O aplicativo fecha sozinho toda vez que abro um painel"),
            ("fr", "L'application plante dès l'ouverture sur mon {device}"),
            ("es", "La app se cierra sola al abrirla"),
        ),
    },
    "mobile.biometric": {
        "says": (
            "typing my long password on the phone every time is a pain",
            "the app doesn't remember me, so I log in with the full password daily",
        ),
        "asks": (
            "please add Face ID login",
            "can you support fingerprint unlock on Android",
            "would love biometric sign-in instead of the password every time",
            "any plans for Touch ID or fingerprint login in the app",
        ),
        "foreign": (("de", "Bitte Anmeldung per Fingerabdruck oder Face ID in der App ermöglichen"),),
    },
    "admin.audit_log": {
        "says": (
            "audit logs only go back 90 days and our auditors need 7 years",
            "there's no way to stream the audit trail into our SIEM",
            "the activity log doesn't record who changed permissions",
            "our security team flagged that admin actions aren't logged with IP addresses",
            "exporting the audit log for the SOC 2 review took us days of screenshots",
            "the log retention window doesn't meet our compliance requirements",
            "we can't tell who deleted a workspace once it's older than three months",
            "security history disappears after 90 days, and regulators ask for years of records",
        ),
        "asks": (
            "can audit events be pushed to Splunk or Datadog",
            "could you extend audit log retention for enterprise plans",
            "is there an API to pull the full activity history",
        ),
        "foreign": (("de", "Die Aufbewahrung der Audit-Logs reicht für unsere Compliance nicht aus"),),
    },
    "admin.data_residency": {
        "says": (
            "our DPO requires that customer data stays in the EU, and today it's hosted in the US",
            "legal won't sign the renewal unless data is stored in a European region",
            "we need region pinning for our German subsidiary's data",
            "our regulators ask where Brightloop stores data and the answer has to be Frankfurt or Dublin",
            "the lack of an EU data center is blocking the rollout to our European business units",
        ),
        "asks": (
            "do you have an EU hosting option, and what's the timeline",
            "can data for our EU workspaces be kept in-region",
            "is there a data processing addendum covering EU residency",
        ),
        "foreign": (("de", "Wir brauchen eine Datenhaltung in der EU, sonst können wir nicht verlängern"),),
    },
    "admin.custom_roles": {
        "says": (
            "the built-in roles are too coarse, editors can delete anything",
            "we can't restrict a team to only their own workspace",
            "contractors end up seeing financial data because there's no field-level permission",
            "SCIM groups don't map to Brightloop roles",
        ),
        "asks": (
            "can we create custom roles with granular permissions",
            "please add a read-only admin role for our auditors",
            "is field-level security on the roadmap",
            "could permissions be managed from {idp} groups",
        ),
        "foreign": (("fr", "Pouvez-vous ajouter des rôles personnalisés avec des permissions plus fines ?"),),
    },
    "support.response_time": {
        "says": (
            "I've been waiting {wait} for a reply on my ticket",
            "every answer from support takes days and it's always 'we're looking into it'",
            "we're paying for premium support and the SLA is never met",
            "my case got bounced between {count} agents and nobody owns it",
            "the chat says 'we typically reply in minutes' and it took {wait}",
        ),
        "asks": (
            "is there a phone number for urgent issues",
            "can someone escalate this, it's been {wait}",
        ),
        "foreign": (("es", "Llevo una semana esperando una respuesta del soporte"),),
    },
    "support.docs": {
        "says": (
            "the docs on {doc_topic} are outdated, the screenshots show the old UI",
            "I couldn't find anything in the help center about {doc_topic}",
            "the API reference doesn't say what the error codes mean",
            "the guide for {doc_topic} skips the one step that actually matters",
            "help articles contradict each other about {doc_topic}",
        ),
        "asks": (
            "is there documentation for {doc_topic}",
            "could you publish example code for {doc_topic}",
            "where's the changelog for {ver}",
            "can you add a troubleshooting page for {doc_topic}",
        ),
        "foreign": (("pt", "A documentação sobre {doc_topic} está desatualizada"),),
    },
    "kudos.ease_of_use": {
        "says": (
            "super easy to set up, we were live in an afternoon",
            "{colleague} picked it up without any training",
            "the interface is clean and just makes sense",
            "finally a tool my non-technical team actually enjoys using",
            "intuitive, fast to learn, no manual needed",
            "switched from {competitor} and the difference in usability is night and day",
            "simple enough for the interns, powerful enough for our analysts",
            "love how straightforward everything is",
            "onboarding {users} took one short session",
            "everything is where you'd expect it to be",
            "the learning curve is basically zero",
            "our least techy people build their own {workflow} flows now",
            "it's the rare enterprise tool that doesn't need a manual",
            "clean UI, sensible defaults, zero fuss",
        ),
        "asks": (),
        "foreign": (
            ("es", "Muy fácil de usar, todo el equipo lo adoptó en una semana"),
            ("de", "Sehr intuitiv, unser Team kam ohne Schulung zurecht"),
            ("fr", "Très simple à prendre en main, bravo"),
        ),
    },
    "kudos.support_team": {
        "says": (
            "{agent_name} from support was fantastic and fixed it in one call",
            "your support folks are the best I've dealt with in years",
            "our CSM goes above and beyond every single time",
            "quick, friendly and actually knowledgeable support",
            "got a real answer within the hour, thank you",
            "shout out to {agent_name}, super patient with our weird setup",
            "{agent_name} walked {colleague} through everything step by step",
            "the help desk answered on a {weekday} evening, amazing",
            "support actually followed up to check it stayed fixed",
            "every ticket we open gets a thoughtful, human answer",
            "your team fixed in a day what {competitor} never fixed in a year",
        ),
        "asks": (),
        "foreign": (("pt", "O suporte foi excelente, resolveram tudo em minutos"),),
    },
    "kudos.time_savings": {
        "says": (
            "the {workflow} automation saves us {hours}",
            "we cut our month-end close by days thanks to the workflows",
            "automations replaced a pile of spreadsheets and manual copy-paste",
            "our ops team gets {hours} back with the automated routing",
            "Brightloop paid for itself in the first quarter",
            "what used to take a whole afternoon now runs by itself overnight",
            "{colleague} no longer chase approvals by email, the flow handles it",
            "we handle twice the volume with the same headcount",
            "nobody copies data between tools anymore",
            "the {workflow} process went from days to minutes",
            "we retired three legacy scripts thanks to the workflows",
        ),
        "asks": (),
        "foreign": (("de", "Die Automatisierungen sparen uns jede Woche Stunden an Handarbeit"),),
    },
}
