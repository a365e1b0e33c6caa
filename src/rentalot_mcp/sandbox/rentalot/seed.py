"""Demo accounts and a believable portfolio, so an assistant has something to work with at once.

Ids are uuid5 values derived from fixed names (`demo_id("pro", "property", "elm")`), so docs and tests
can name records; times are relative to the moment the database is seeded (showings in the coming
business days, messages in the past few days).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rentalot_mcp.sandbox.accounts import create_account
from rentalot_mcp.sandbox.rentalot import kinds
from rentalot_mcp.sandbox.rentalot.contacts import new_contact
from rentalot_mcp.sandbox.rentalot.properties import new_property
from rentalot_mcp.sandbox.rentalot.settings import defaults, save_settings
from rentalot_mcp.sandbox.rentalot.workflows import new_template
from rentalot_mcp.sandbox.store import Tx
from rentalot_mcp.sandbox.times import iso

NAMESPACE = uuid.UUID("0b8f5a1e-3c2d-5e4f-9a7b-6c5d4e3f2a10")
PLATFORM = "rentalot"

DEMO_KEYS = {
    "ra_demo_pro": "Pro: read and write",
    "ra_demo_starter": "Starter: read-only",
}
"""API key -> what it can do (both accounts are seeded into every fresh sandbox)."""


def demo_id(account: str, kind: str, name: str) -> str:
    """The fixed id of a seeded record, e.g. `demo_id("pro", "property", "elm")`."""
    return str(uuid.uuid5(NAMESPACE, f"{account}/{kind}/{name}"))


PRO_ACCOUNT_ID = demo_id("pro", "account", "")
STARTER_ACCOUNT_ID = demo_id("starter", "account", "")
ELM_STREET_PROPERTY_ID = demo_id("pro", "property", "elm")
"""The 2-bed on Elm St, Austin."""

# A [city, state] line, then rows: key | address | zip | rent | beds | baths | sqft | pets | parking | laundry | status
# | available in how many days (- for none)
_PRO_PROPERTIES = """
[Austin, TX]
elm | 1420 Elm St, Unit 2 | 78702 | 1950 | 2 | 1 | 920 | allowed | included | in-unit | active | 10
w34th | 806 W 34th St | 78705 | 1450 | 1 | 1 | 640 | not-allowed | none | in-building | active | 0
lamar | 2301 S Lamar Blvd, Apt 312 | 78704 | 2300 | 2 | 2 | 1080 | negotiable | available | in-unit | active | 21
avenue-h | 4512 Avenue H | 78751 | 2850 | 3 | 2 | 1450 | allowed | included | in-unit | active | 30
e6th | 1100 E 6th St, Apt 5C | 78702 | 1250 | 0 | 1 | 480 | not-allowed | none | in-building | active | 5
cooper | 7003 Cooper Ln | 78745 | 2600 | 3 | 2.5 | 1620 | allowed | included | in-unit | rented | -
[Denver, CO]
pearl | 1650 Pearl St, Unit 4 | 80203 | 1550 | 1 | 1 | 700 | negotiable | available | in-building | active | 14
tejon | 3321 Tejon St | 80211 | 2250 | 2 | 1.5 | 1010 | allowed | included | in-unit | active | 7
champa | 2845 Champa St | 80205 | 2950 | 3 | 2 | 1500 | allowed | included | in-unit | active | 45
penn | 900 S Pennsylvania St, Apt 210 | 80209 | 2100 | 2 | 2 | 990 | not-allowed | available | in-unit | active | 3
w38th | 4470 W 38th Ave | 80212 | 1395 | 1 | 1 | 610 | allowed | none | in-building | rented | -
[Portland, OR]
alberta | 2215 NE Alberta St, Unit B | 97211 | 1850 | 2 | 1 | 880 | allowed | available | in-unit | active | 12
hawthorne | 1530 SE Hawthorne Blvd, Apt 3 | 97214 | 1495 | 1 | 1 | 650 | negotiable | none | in-building | active | 0
mississippi | 3901 N Mississippi Ave | 97227 | 2700 | 3 | 2 | 1380 | allowed | included | in-unit | active | 25
nw21st | 710 NW 21st Ave, Apt 402 | 97209 | 1195 | 0 | 1 | 450 | not-allowed | none | in-building | active | 2
division-pdx | 5208 SE Division St | 97206 | 2050 | 2 | 2 | 1020 | allowed | available | in-unit | inactive | -
[Chicago, IL]
armitage | 1847 W Armitage Ave, Unit 2F | 60622 | 2150 | 2 | 1 | 950 | allowed | available | in-building | active | 9
clark | 3156 N Clark St, Apt 3R | 60657 | 1650 | 1 | 1 | 700 | negotiable | none | in-building | active | 4
harper | 5423 S Harper Ave | 60615 | 2250 | 3 | 1.5 | 1300 | allowed | included | in-unit | active | 18
division-chi | 2010 W Division St, Unit 1 | 60622 | 2600 | 2 | 2 | 1150 | not-allowed | included | in-unit | active | 35
winchester | 4731 N Winchester Ave | 60640 | 3400 | 4 | 2 | 1900 | allowed | included | in-unit | active | 60
michigan | 1255 S Michigan Ave, Apt 1804 | 60605 | 2050 | 1 | 1 | 760 | not-allowed | available | in-unit | active | 1
"""

_STARTER_PROPERTIES = """
[Boston, MA]
beacon | 212 Beacon St, Apt 3 | 02116 | 3100 | 2 | 1 | 870 | not-allowed | none | in-building | active | 15
tremont | 1540 Tremont St, Unit 1 | 02120 | 2400 | 1 | 1 | 620 | negotiable | none | in-building | active | 3
[Cambridge, MA]
mass-ave | 1802 Massachusetts Ave, Apt 4 | 02140 | 2950 | 2 | 1 | 900 | allowed | available | in-unit | active | 30
[Brookline, MA]
centre | 77 Centre St | 02446 | 3600 | 3 | 2 | 1400 | allowed | included | in-unit | rented | -
"""

_FEATURES = {
    "in-unit": ["in-unit laundry", "dishwasher"],
    "in-building": ["shared laundry", "bike storage"],
}

# key | name | email | phone | channel | status | role | source  ("-" = none)
_PRO_CONTACTS = """
maya | Maya Thompson | maya.thompson@example.com | +15125550141 | whatsapp | scheduled | prospect | website
daniel | Daniel Kim | - | +17205550177 | sms | prospect | prospect | zillow
priya | Priya Patel | priya.patel@example.com | +15035550148 | email | applicant | prospect | public_chat
marcus | Marcus Johnson | - | +15035550112 | whatsapp | scheduled | prospect | apartments.com
sofia | Sofia Rossi | sofia.rossi@example.com | +13125550190 | gmail | prospect | prospect | referral
ethan | Ethan Brooks | ethan.brooks@example.com | +15125550163 | sms | scheduled | prospect | zillow
hannah | Hannah Lee | hannah.lee@example.com | - | email | prospect | prospect | public_chat
carlos | Carlos Mendoza | carlos.mendoza@example.com | +17735550134 | whatsapp | renter | tenant | website
olivia | Olivia Chen | olivia.chen@example.com | +15035550185 | telegram | prospect | prospect | telegram
noah | Noah Williams | - | +13035550126 | sms | prospect | prospect | craigslist
grace | Grace O'Neil | grace.oneil@example.com | - | email | archived | prospect | website
liam | Liam Nguyen | liam.nguyen@example.com | +15125550199 | whatsapp | prospect | prospect | facebook
robert | Robert Alvarez | robert@alvarezholdings.example.com | +15125550110 | email | renter | landlord | referral
fixit | FixIt Plumbing | dispatch@fixitplumbing.example.com | +15125550155 | sms | prospect | vendor | referral
"""

_STARTER_CONTACTS = """
emma | Emma Walsh | emma.walsh@example.com | +16175550121 | email | scheduled | prospect | website
jamal | Jamal Carter | - | +16175550188 | sms | prospect | prospect | zillow
lucia | Lucia Fernandez | lucia.fernandez@example.com | +16175550143 | whatsapp | applicant | prospect | referral
"""

# contact, channel, [(direction, hours ago, text)]
_PRO_CONVERSATIONS: list[tuple[str, str, list[tuple[str, float, str]]]] = [
    (
        "maya",
        "whatsapp",
        [
            ("inbound", 70, "Hi! Is the 2-bed on Elm St still available?"),
            (
                "outbound",
                69.9,
                "Hi Maya, yes it is: $1,950/month, in-unit laundry and one parking spot included. Want to see it?",
            ),
            ("inbound", 69, "Yes please. Are pets ok? I have a small dog."),
            ("outbound", 68.8, "Dogs are welcome at Elm St. I have you down for a viewing. See you then!"),
        ],
    ),
    (
        "daniel",
        "sms",
        [
            ("inbound", 50, "Hey, saw the Tejon St listing on Zillow. Is parking included?"),
            ("outbound", 49.5, "Hi Daniel! Yes, one off-street parking space is included at 3321 Tejon St."),
            ("inbound", 30, "Cool. What is the earliest move-in date?"),
        ],
    ),
    (
        "priya",
        "email",
        [
            ("inbound", 96, "Hello, I completed the pre-screening for the Alberta St unit. When can I apply?"),
            ("outbound", 95, "Thanks Priya! We are reviewing your answers and will get back to you within a day."),
        ],
    ),
    (
        "marcus",
        "whatsapp",
        [
            ("inbound", 26, "Hi, is the Mississippi Ave house still open for viewings this week?"),
            ("outbound", 25.5, "Hi Marcus, it is. I booked you a showing; the address is 3901 N Mississippi Ave."),
        ],
    ),
    (
        "sofia",
        "gmail",
        [
            (
                "inbound",
                120,
                "Hi, I'm relocating to Chicago in two months and looking for a 2-bedroom near Wicker Park.",
            ),
            ("outbound", 119, "Welcome to Chicago, Sofia! 1847 W Armitage Ave and 2010 W Division St would both fit."),
            ("inbound", 20, "Division St looks great. Is the rent negotiable for a 15-month lease?"),
        ],
    ),
    (
        "ethan",
        "sms",
        [
            ("inbound", 40, "Can I see the South Lamar apartment after work?"),
            (
                "outbound",
                39.8,
                "Sure, Ethan. I scheduled a late-afternoon showing; reply here if you need to reschedule.",
            ),
        ],
    ),
    (
        "carlos",
        "whatsapp",
        [
            ("inbound", 200, "The kitchen sink is leaking again."),
            ("outbound", 199, "Sorry about that, Carlos. FixIt Plumbing will come by tomorrow morning."),
            ("inbound", 170, "They fixed it, thanks!"),
        ],
    ),
    (
        "liam",
        "whatsapp",
        [
            ("inbound", 6, "Hello! Do you have any studios downtown under $1,300?"),
            ("outbound", 5.9, "Hi Liam! 1100 E 6th St, Apt 5C is a studio for $1,250/month, available next week."),
        ],
    ),
]

_STARTER_CONVERSATIONS: list[tuple[str, str, list[tuple[str, float, str]]]] = [
    (
        "emma",
        "email",
        [
            ("inbound", 48, "Is the Beacon St apartment close to the Green Line?"),
            ("outbound", 47, "Yes, Emma: Arlington station is a five-minute walk. I booked you a viewing."),
        ],
    ),
]


class _Seeder:
    """Writes one account's demo data with fixed ids and times relative to `now`."""

    def __init__(self, tx: Tx, now: datetime, account: str, owner: str, tz: str) -> None:
        self.tx = tx
        self.now = now
        self.account = account
        self.owner = owner
        self.tz = ZoneInfo(tz)
        self.stamp = iso(now - timedelta(days=30))

    def id(self, kind: str, name: str) -> str:
        return demo_id(self.account, kind, name)

    def ago(self, hours: float) -> str:
        return iso(self.now - timedelta(hours=hours))

    def business_day(self, n: int) -> date:
        """The n-th business day after today (n >= 1), in the account's time zone."""
        day = self.now.astimezone(self.tz).date()
        while n > 0:
            day += timedelta(days=1)
            n -= day.isoweekday() <= 5
        return day

    def local(self, day: date, hhmm: str) -> datetime:
        return datetime.combine(day, time.fromisoformat(hhmm), self.tz).astimezone(UTC)

    def insert(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        return self.tx.insert(kind, self.owner, record)

    def properties(self, table: str) -> None:
        today = self.now.date()
        city, state = "", ""
        for line in table.strip().splitlines():
            if line.startswith("["):
                city, state = (part.strip() for part in line.strip("[]").split(","))
                continue
            key, address, zip_, rent, beds, baths, sqft, pets, parking, laundry, status, days = _cells(line)
            rent, beds, sqft = int(rent), int(beds), int(sqft)
            values = {
                "address": address,
                "city": city,
                "state": state,
                "zip": zip_,
                "monthlyRent": rent,
                "bedrooms": beds,
                "bathrooms": float(baths) if "." in baths else int(baths),
                "squareFootage": sqft,
                "petPolicy": pets,
                "parking": parking,
                "laundry": laundry,
                "status": status,
                "availabilityDate": (today + timedelta(days=int(days))).isoformat() if days else None,
                "features": _FEATURES.get(laundry, []) + (["parking"] if parking == "included" else []),
                "amenities": ["central air", "hardwood floors"] if beds >= 2 else ["updated kitchen"],
                "depositAmount": rent,
                "leaseMinMonths": 12,
                "leaseMaxMonths": 24,
                "description": f"{_bedrooms(beds)} in {city} with {laundry.replace('-', ' ')} laundry.",
            }
            prop = new_property(self.owner, self.stamp, values)
            prop["id"] = self.id("property", key)
            self.insert(kinds.PROPERTY, prop)

    def contacts(self, table: str) -> None:
        for line in table.strip().splitlines():
            key, name, email, phone, channel, status, role, source = _cells(line)
            values = {
                "name": name,
                "email": email,
                "phone": phone,
                "channelPreference": channel,
                "status": status,
                "role": role,
                "source": source,
            }
            contact = new_contact(self.stamp, values)
            contact["id"] = self.id("contact", key)
            self.insert(kinds.CONTACT, contact)

    def conversations(self, rows: list[tuple[str, str, list[tuple[str, float, str]]]]) -> None:
        for contact, channel, messages in rows:
            conversation_id = self.id("conversation", contact)
            for n, (direction, hours, text) in enumerate(messages):
                message = {
                    "id": self.id("message", f"{contact}-{n}"),
                    "conversationId": conversation_id,
                    "direction": direction,
                    "content": text,
                    "channel": channel,
                    "sentAt": self.ago(hours),
                }
                self.insert(kinds.MESSAGE, message)
            conversation = {
                "id": conversation_id,
                "contactId": self.id("contact", contact),
                "channel": channel,
                "status": "archived" if contact == "carlos" else "active",
                "lastMessageAt": self.ago(messages[-1][1]),
                "messageCount": len(messages),
                "createdAt": self.ago(messages[0][1]),
            }
            self.insert(kinds.CONVERSATION, conversation)

    def event(self, key: str, kind: str, title: str, start: datetime, minutes: int, **extra: Any) -> None:
        event = {
            "id": self.id("event", key),
            "propertyId": None,
            "contactId": None,
            "title": title,
            "description": None,
            "startTime": iso(start),
            "endTime": iso(start + timedelta(minutes=minutes)),
            "timeZone": str(self.tz),
            "location": None,
            "status": "confirmed",
            "notes": None,
            "type": kind,
            "source": "internal",
            "createdAt": self.stamp,
            "updatedAt": self.stamp,
            **extra,
        }
        self.insert(kinds.EVENT, event)

    def showing(self, key: str, prop: str, contact: str, start: datetime, status: str = "confirmed") -> None:
        address = self.tx.get(kinds.PROPERTY, self.owner, self.id("property", prop))
        assert address is not None
        self.event(
            key,
            "showing",
            f"Showing at {address['address']}",
            start,
            60,
            propertyId=address["id"],
            contactId=self.id("contact", contact),
            location=f"{address['address']}, {address['city']}, {address['state']}",
            status=status,
        )

    def settings(self, **values: Any) -> None:
        save_settings(self.tx, self.owner, {**defaults(), **values})


def _cells(line: str) -> list[Any]:
    """The cells of a `|`-separated table row, `-` meaning none."""
    return [None if cell.strip() == "-" else cell.strip() for cell in line.split("|")]


def _bedrooms(beds: int) -> str:
    return "Studio" if beds == 0 else f"{beds}-bedroom home"


def seed(tx: Tx, now: datetime) -> None:
    """Both demo accounts; called once per fresh database."""
    create_account(
        tx,
        account_id=PRO_ACCOUNT_ID,
        platform=PLATFORM,
        name="Harbor & Pine Rentals",
        plan="Pro",
        api_key="ra_demo_pro",
    )
    create_account(
        tx,
        account_id=STARTER_ACCOUNT_ID,
        platform=PLATFORM,
        name="Maple Street Lettings",
        plan="Starter",
        api_key="ra_demo_starter",
    )
    _seed_pro(_Seeder(tx, now, "pro", PRO_ACCOUNT_ID, "America/Chicago"))
    _seed_starter(_Seeder(tx, now, "starter", STARTER_ACCOUNT_ID, "America/New_York"))


def _seed_pro(s: _Seeder) -> None:
    s.settings(
        agentName="Ava",
        timezone="America/Chicago",
        customInstructions="Be warm and concise. Always mention the pet policy and parking.",
        emailSignOff="Ava, Harbor & Pine Rentals",
        maxShowingsPerDay=6,
        prescreeningEnabled=True,
        profilePublic=True,
        followupTemplates=[
            {"step": 1, "template": "Hi {firstName}, still interested in a viewing? I have slots this week."}
        ],
    )
    s.properties(_PRO_PROPERTIES)
    s.contacts(_PRO_CONTACTS)
    s.conversations(_PRO_CONVERSATIONS)
    d1, d2, d3, d4, d5 = (s.business_day(n) for n in range(1, 6))
    s.showing("maya-elm", "elm", "maya", s.local(d1, "10:00"))
    s.showing("ethan-lamar", "lamar", "ethan", s.local(d1, "16:00"), status="pending")
    s.showing("marcus-mississippi", "mississippi", "marcus", s.local(d2, "11:00"))
    s.showing("sofia-division", "division-chi", "sofia", s.local(d3, "13:00"), status="pending")
    s.showing("daniel-tejon", "tejon", "daniel", s.local(d4, "09:00"), status="cancelled")
    s.showing("liam-e6th", "e6th", "liam", s.local(d5, "15:00"), status="pending")
    s.showing("carlos-armitage", "armitage", "carlos", s.now - timedelta(days=20), status="completed")
    s.event("team-sync", "meeting", "Weekly team sync", s.local(d1, "12:00"), 30, source="google")
    s.event(
        "call-robert",
        "call",
        "Call with Robert Alvarez about the Elm St lease",
        s.local(d2, "15:00"),
        30,
        contactId=s.id("contact", "robert"),
        propertyId=s.id("property", "elm"),
    )
    s.event(
        "inspection-armitage",
        "inspection",
        "Move-out inspection, Armitage Ave",
        s.local(d4, "14:00"),
        60,
        propertyId=s.id("property", "armitage"),
        location="1847 W Armitage Ave, Unit 2F, Chicago, IL",
    )
    _pro_drafts(s)
    _pro_followups(s)
    _pro_workflows(s)


def _draft(s: _Seeder, key: str, contact: str, channel: str, text: str, hours_ago: float, **extra: Any) -> None:
    created = s.now - timedelta(hours=hours_ago)
    draft = {
        "id": s.id("draft", key),
        "contactId": s.id("contact", contact),
        "propertyId": None,
        "content": text,
        "subject": None,
        "channel": channel,
        "recipientPhone": None,
        "recipientEmail": None,
        "status": "pending",
        "sentAt": None,
        "expiresAt": iso(created + timedelta(hours=24)),
        "createdAt": iso(created),
        "updatedAt": iso(created),
        **extra,
    }
    s.insert(kinds.DRAFT, draft)


def _pro_drafts(s: _Seeder) -> None:
    _draft(
        s,
        "daniel-movein",
        "daniel",
        "sms",
        "Hi Daniel, 3321 Tejon St is available from next week. Want me to hold a viewing slot for you?",
        2,
        propertyId=s.id("property", "tejon"),
    )
    _draft(
        s,
        "sofia-lease",
        "sofia",
        "gmail",
        "Hi Sofia, the owner can offer $2,550/month on a 15-month lease at 2010 W Division St.",
        1,
        subject="Your 15-month lease question",
        propertyId=s.id("property", "division-chi"),
    )
    _draft(
        s, "liam-studio", "liam", "whatsapp", "Hi Liam, would Friday afternoon work to see the E 6th St studio?", 0.5
    )
    _draft(s, "priya-welcome", "priya", "email", "Thanks for applying, Priya!", 80, status="sent", sentAt=s.ago(79))
    _draft(s, "grace-old", "grace", "email", "Hi Grace, checking in about your search.", 60, status="expired")


def _pro_followups(s: _Seeder) -> None:
    rows = [
        ("daniel", "pending", 20, "Hi Daniel, still interested in seeing 3321 Tejon St? I have slots this week."),
        ("sofia", "pending", 44, "Hi Sofia, did you get a chance to look at the Division St offer?"),
        ("priya", "sent", -70, "Hi Priya, just checking you received the application link."),
        ("maya", "cancelled", 30, "Hi Maya, still interested in a viewing? I have slots this week."),
    ]
    for contact, status, hours_ahead, text in rows:
        followup = {
            "id": s.id("followup", contact),
            "contactId": s.id("contact", contact),
            "conversationId": s.id("conversation", contact),
            "message": text,
            "sequenceStep": 1,
            "scheduledFor": iso(s.now + timedelta(hours=hours_ahead)),
            "status": status,
            "createdAt": s.ago(72),
        }
        s.insert(kinds.FOLLOWUP, followup)


def _workflow(s: _Seeder, key: str, **values: Any) -> str:
    template = new_template(s.stamp, values, key)
    template["id"] = s.id("workflow", key)
    s.insert(kinds.WORKFLOW, template)
    return template["id"]


def _pro_workflows(s: _Seeder) -> None:
    prescreen = _workflow(
        s,
        "pre-screening",
        name="Pre-screening",
        description="Qualify prospects before booking a viewing.",
        triggerType="deep_link",
        isPublic=True,
        introMessage="Hi! A few quick questions before we book your viewing.",
        steps=[
            {"type": "question", "question": "What is your target move-in date?", "field": "moveInDate"},
            {"type": "question", "question": "What is your monthly budget?", "field": "budget"},
            {"type": "question", "question": "Do you have any pets?", "field": "pets"},
        ],
        questionConfig={"required": ["moveInDate", "budget"]},
        completionConfig={"showMatchedProperties": True, "maxResults": 3},
    )
    lead = _workflow(
        s,
        "new-lead-follow-up",
        name="New lead follow-up",
        description="Nudge new leads who went quiet.",
        triggerType="automatic",
        steps=[
            {"type": "message", "message": "Hi {firstName}, thanks for reaching out! Want to book a viewing?"},
            {"type": "wait", "hours": 24},
            {"type": "message", "message": "Hi {firstName}, just checking in: slots are filling up this week."},
        ],
    )
    feedback = _workflow(
        s,
        "post-showing-feedback",
        name="Post-showing feedback",
        description="Ask how the viewing went.",
        triggerType="manual",
        steps=[{"type": "message", "message": "Hi {firstName}, how did you like {propertyAddress}?"}],
    )
    _workflow(
        s,
        "holiday-special",
        name="Holiday move-in special",
        description="Seasonal promotion (paused).",
        triggerType="scheduled",
        triggerConfig={"cron": "0 10 1 12 *"},
        isActive=False,
        steps=[{"type": "message", "message": "Move in before Jan 1 and get half off your first month!"}],
    )
    runs = [
        ("carlos-feedback", feedback, "carlos", "armitage", "completed", 0, 1, 480),
        ("liam-lead", lead, "liam", None, "running", 1, 1, 5),
        ("noah-lead", lead, "noah", None, "completed", 2, 2, 300),
    ]
    for key, template, contact, prop, status, step, sent, hours_ago in runs:
        run = {
            "id": s.id("run", key),
            "templateId": template,
            "contactId": s.id("contact", contact),
            "propertyId": s.id("property", prop) if prop else None,
            "status": status,
            "currentStepIndex": step,
            "messagesSent": sent,
            "exitReason": "all_steps_completed" if status == "completed" else None,
            "startedAt": s.ago(hours_ago),
            "completedAt": s.ago(hours_ago - 1) if status == "completed" else None,
        }
        s.insert(kinds.RUN, run)
    sessions = [
        (
            "priya",
            "completed",
            "pending_review",
            96,
            {"fullName": "Priya Patel", "moveInDate": "next month", "budget": 1900, "pets": "none"},
        ),
        (
            "hannah",
            "completed",
            "pending_review",
            30,
            {"fullName": "Hannah Lee", "moveInDate": "in 6 weeks", "budget": 2300, "pets": "one cat"},
        ),
        (
            "carlos",
            "completed",
            "approved",
            900,
            {"fullName": "Carlos Mendoza", "moveInDate": "asap", "budget": 2200, "pets": "none"},
        ),
        ("olivia", "active", "pending_review", 3, {"fullName": "Olivia Chen", "moveInDate": "in 2 months"}),
        ("noah", "active", "pending_review", 24 * 40, {"fullName": "Noah Williams"}),
    ]
    for contact, status, review, hours_ago, submission in sessions:
        created = s.now - timedelta(hours=hours_ago)
        session = {
            "id": s.id("session", contact),
            "contactId": s.id("contact", contact),
            "workflowTemplateId": prescreen,
            "submission": submission,
            "status": status,
            "reviewStatus": review,
            "reviewNotes": "Great fit for Armitage Ave." if review == "approved" else None,
            "reviewedAt": iso(created + timedelta(hours=5)) if review == "approved" else None,
            "createdAt": iso(created),
            "updatedAt": iso(created + timedelta(minutes=12)),
            "expiresAt": iso(created + timedelta(days=30)),
        }
        s.insert(kinds.SESSION, session)


def _seed_starter(s: _Seeder) -> None:
    s.settings(agentName="Sam", timezone="America/New_York", emailSignOff="Sam, Maple Street Lettings")
    s.properties(_STARTER_PROPERTIES)
    s.contacts(_STARTER_CONTACTS)
    s.conversations(_STARTER_CONVERSATIONS)
    s.showing("emma-beacon", "beacon", "emma", s.local(s.business_day(2), "17:30"))
    _draft(s, "jamal-hello", "jamal", "sms", "Hi Jamal, the Tremont St unit is available from next week.", 3)
    template = _workflow(
        s,
        "pre-screening",
        name="Pre-screening",
        triggerType="deep_link",
        isPublic=True,
        steps=[{"type": "question", "question": "When would you like to move in?", "field": "moveInDate"}],
    )
    created = s.now - timedelta(hours=10)
    session = {
        "id": s.id("session", "lucia"),
        "contactId": s.id("contact", "lucia"),
        "workflowTemplateId": template,
        "submission": {"fullName": "Lucia Fernandez", "moveInDate": "next month", "budget": 3000},
        "status": "completed",
        "reviewStatus": "pending_review",
        "reviewNotes": None,
        "reviewedAt": None,
        "createdAt": iso(created),
        "updatedAt": iso(created),
        "expiresAt": iso(created + timedelta(days=30)),
    }
    s.insert(kinds.SESSION, session)
