"""The volume data set (`manage.py generate_volume`): the core's rows, and the tools each app's
`volume` module uses to add its own.

Everything is fictional: names come from invented syllables, never from lists of real people
or places. Everything is deterministic for a seed: one `random.Random` drives every choice, in
a fixed order, and the few rows made in SQL (`setseed`) follow the same seed.

Rows are written with PostgreSQL's COPY, in a session with `session_replication_role =
replica`: the change-history and freeze triggers do not fire for the bulk load (and neither do
foreign-key checks, so the generator writes only ids it made itself, and the command checks
the foreign keys afterwards). CHECK and UNIQUE constraints still hold every row.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, models
from psycopg.types.json import Jsonb

from cse_portal.models import (
    AccessLog,
    Agency,
    Child,
    ChildGroupObjectPermission,
    Ethnicity,
    Gender,
    Involvement,
    LocalAuthority,
    LookedAfterStatus,
    Officer,
    RiskGroup,
)

AUTHORITIES = 20
OFFICERS_PER_AGENCY = 6
# One agency of each kind in every authority: 20 x 5 = 100 agencies, 600 officers.
AGENCY_KINDS = [
    (Agency.Kind.CHILDRENS_SOCIAL_CARE, "Children's Services"),
    (Agency.Kind.POLICE, "Constabulary"),
    (Agency.Kind.HEALTH, "Health Trust"),
    (Agency.Kind.EDUCATION, "Learning Partnership"),
    (Agency.Kind.VOLUNTARY_SECTOR, "Youth Trust"),
]
INVOLVED_PERMISSIONS = ("view_child", "change_child", "share_child")
VOLUME_PASSWORD = "volume-password-2026"  # noqa: S105  (fictional benchmark accounts only)

_PLACE_START = ["Ash", "Brae", "Cor", "Dun", "Elder", "Fen", "Glen", "Hart", "Ivy", "Kel"]
_PLACE_START += ["Lind", "Mor", "Nether", "Orrin", "Pell", "Quen", "Rook", "Sil", "Tarn", "Wend"]
_PLACE_END = ["mere", "dale", "holm", "wick", "stow", "brough", "thwaite", "combe", "ness", "ley"]
_FIRST_A = ["Ka", "Lu", "Mi", "No", "Ri", "Sa", "Te", "Ya", "Zo", "Ela", "Ori", "Bel", "Da", "Fi"]
_FIRST_B = ["lia", "ren", "nah", "vin", "ra", "dan", "mie", "lo", "sha", "ric", "tan", "wen", "by"]
_LAST_A = ["Thorn", "Ast", "Bram", "Cald", "Dray", "Eld", "Farn", "Gorr", "Hask", "Jarv", "Kest"]
_LAST_A += ["Lorr", "Marl", "Norr", "Penn", "Quill", "Rask", "Stell", "Tolv", "Varr", "Wyck"]
_LAST_B = ["by", "ett", "ington", "ow", "ley", "mond", "shaw", "well", "ridge", "ford", "an"]


def invented_place(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(_PLACE_START) + rng.choice(_PLACE_END)
        if name not in used:
            used.add(name)
            return name


def invented_first_name(rng: random.Random) -> str:
    return rng.choice(_FIRST_A) + rng.choice(_FIRST_B)


def invented_last_name(rng: random.Random) -> str:
    return rng.choice(_LAST_A) + rng.choice(_LAST_B)


@dataclass
class VolumeChild:
    """What the apps need to know of a generated child to add their rows."""

    id: uuid.UUID
    home: int  # index into VolumeContext.authorities
    owner: int  # agency id
    created_by: int
    created_at: datetime
    agencies: list[int]  # involved agency ids, the owner first
    referred: bool  # CSC involved because of a referral
    looked_after: bool
    host: int | None  # LocalAuthority id, when placed out of the area
    identified: bool


@dataclass
class VolumeContext:
    """The generated world, handed to every app's `volume.generate_volume(ctx, stdout)`."""

    seed: int
    now: datetime
    rng: random.Random
    authority_ids: list[int] = field(default_factory=list)
    agencies: dict[int, tuple[str, int]] = field(default_factory=dict)  # id -> (kind, la index)
    csc_of: list[int] = field(default_factory=list)  # CSC agency id by la index
    agencies_of: list[list[int]] = field(default_factory=list)  # agency ids by la index
    officers_of: dict[int, list[int]] = field(default_factory=dict)  # agency id -> officer ids
    lead_of: dict[int, int] = field(default_factory=dict)  # agency id -> CSE lead officer id
    children: list[VolumeChild] = field(default_factory=list)
    # What one app made that a later app links to (e.g. "refer_screening": child index -> id).
    shared: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    _next_id: dict[str, int] = field(default_factory=dict)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def officer(self, agency_id: int) -> int:
        return self.rng.choice(self.officers_of[agency_id])

    def some_time_after(self, start: datetime, days: float) -> datetime:
        """A time between `start` and `days` later, never in the future."""
        at = start + timedelta(seconds=self.rng.uniform(0, days * 86400))
        return min(at, self.now - timedelta(minutes=1))

    def ids(self, model: type[models.Model], count: int) -> range:
        """`count` fresh primary keys for `model` (the sequence is set after the load)."""
        table = model._meta.db_table
        if table not in self._next_id:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608
                self._next_id[table] = cursor.fetchone()[0]
        start = self._next_id[table]
        self._next_id[table] = start + count
        return range(start, start + count)

    def copy(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """COPY `rows` (values of `fields`, attnames) into the model's table; every other
        column gets the model's default (a fresh, seeded UUID for a UUID default)."""
        n = copy_rows(self, model, fields, rows)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + n
        return n


def _default_filler(ctx: VolumeContext, f: models.Field[Any, Any]) -> Any:
    if f.default is uuid.uuid4:
        return ctx.uuid
    if callable(f.default) and f.default.__name__ == "now":
        return lambda: ctx.now
    value = f.get_default()
    if isinstance(value, dict):
        value = Jsonb(value)
    return lambda: value


def copy_rows(
    ctx: VolumeContext,
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> int:
    meta = model._meta
    given = set(fields)
    rest = [
        f
        for f in meta.concrete_fields
        if (f.attname not in given and not f.primary_key and f.has_default())
        or _needs_blank(f, given)
    ]
    fillers = [_default_filler(ctx, f) for f in rest]
    columns = [meta.get_field(name).column for name in fields]  # type: ignore[union-attr]
    columns += [f.column for f in rest]
    sql = f'COPY "{meta.db_table}" ({", ".join(f'"{c}"' for c in columns)}) FROM STDIN'
    n = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([*row, *(fill() for fill in fillers)])
            n += 1
    return n


def _needs_blank(f: models.Field[Any, Any], given: set[str]) -> bool:
    """A NOT NULL text column with no default: "" (Django's own default for it)."""
    return (
        f.attname not in given
        and not f.primary_key
        and not f.null
        and f.empty_strings_allowed
        and not f.has_default()
        and not isinstance(f, models.ForeignKey)
    )


def generate_core(ctx: VolumeContext, children: int) -> None:
    """Local authorities, agencies (and their groups), officers, children, involvements, the
    agencies' object permissions, and the access log."""
    _authorities_and_agencies(ctx)
    _officers(ctx)
    _children(ctx, children)
    _involvements_and_permissions(ctx)


def _authorities_and_agencies(ctx: VolumeContext) -> None:
    used: set[str] = set()
    names = [invented_place(ctx.rng, used) for _ in range(AUTHORITIES)]
    ctx.authority_ids = list(ctx.ids(LocalAuthority, AUTHORITIES))
    ctx.copy(
        LocalAuthority,
        ["id", "name", "code"],
        (
            (pk, name, f"vol-{name.lower()}")
            for pk, name in zip(ctx.authority_ids, names, strict=True)
        ),
    )
    count = AUTHORITIES * len(AGENCY_KINDS)
    group_ids = list(ctx.ids(Group, count))
    agency_ids = list(ctx.ids(Agency, count))
    ctx.copy(Group, ["id", "name"], ((g, f"agency:{ctx.uuid()}") for g in group_ids))
    rows: list[tuple[Any, ...]] = []
    for la, name in enumerate(names):
        ctx.agencies_of.append([])
        for k, (kind, suffix) in enumerate(AGENCY_KINDS):
            i = la * len(AGENCY_KINDS) + k
            pk = agency_ids[i]
            email = f"cse@{name.lower()}-{kind}.example.org"
            row = (pk, f"{name} {suffix}", str(kind), ctx.authority_ids[la], group_ids[i])
            rows.append((*row, email, ""))
            ctx.agencies[pk] = (str(kind), la)
            ctx.agencies_of[la].append(pk)
            if kind == Agency.Kind.CHILDRENS_SOCIAL_CARE:
                ctx.csc_of.append(pk)
    ctx.copy(
        Agency, ["id", "name", "kind", "local_authority_id", "group_id", "email", "phone"], rows
    )


def _officers(ctx: VolumeContext) -> None:
    password = make_password(VOLUME_PASSWORD)
    agency_ids = sorted(ctx.agencies)
    officer_ids = iter(ctx.ids(Officer, len(agency_ids) * OFFICERS_PER_AGENCY))
    rows = []
    for agency_id in agency_ids:
        kind, _la = ctx.agencies[agency_id]
        ctx.officers_of[agency_id] = []
        for n in range(OFFICERS_PER_AGENCY):
            pk = next(officer_ids)
            if kind == Agency.Kind.CHILDRENS_SOCIAL_CARE:
                role = [Officer.Role.TEAM_MANAGER, Officer.Role.CP_COORDINATOR, Officer.Role.IRO]
                role_value = role[n] if n < 3 else Officer.Role.SOCIAL_WORKER
            else:
                role_value = Officer.Role.PRACTITIONER
            is_lead = n == 0
            first, last = invented_first_name(ctx.rng), invented_last_name(ctx.rng)
            rows.append(
                (pk, f"vol{agency_id}.{n}", password, first, last, f"vol{pk}@example.org",
                 agency_id, str(role_value), is_lead, ctx.now, True, False, False)
            )  # fmt: skip
            ctx.officers_of[agency_id].append(pk)
            if is_lead:
                ctx.lead_of[agency_id] = pk
    fields = ["id", "username", "password", "first_name", "last_name", "email"]
    fields += ["agency_id", "role", "is_cse_lead", "date_joined", "is_active", "is_staff"]
    ctx.copy(Officer, [*fields, "is_superuser"], rows)


_CHILD_FIELDS = [
    "id", "is_identified", "first_name", "last_name", "known_as", "description",
    "date_of_birth", "gender", "ethnicity", "school_or_setting", "looked_after_status",
    "home_authority_id", "host_authority_id", "host_cse_lead_contact", "risk_groups",
    "owning_agency_id", "created_by_id", "created_at", "updated_at",
]  # fmt: skip

_GENDERS = [Gender.FEMALE] * 55 + [Gender.MALE] * 40 + [Gender.NON_BINARY] * 3
_GENDERS += [Gender.NOT_KNOWN] * 2
_ETHNICITIES = list(Ethnicity.values)
_RISKS = list(RiskGroup.values)


def _children(ctx: VolumeContext, count: int) -> None:
    rows = [_child_row(ctx) for _ in range(count)]
    ctx.copy(Child, _CHILD_FIELDS, rows)


def _child_row(ctx: VolumeContext) -> tuple[Any, ...]:
    rng = ctx.rng
    la = rng.randrange(AUTHORITIES)
    owner = rng.choice(ctx.agencies_of[la])
    created_at = ctx.now - timedelta(seconds=rng.uniform(3600, 3 * 365 * 86400))
    identified = rng.random() > 0.03
    looked_after = rng.random() < 0.15
    host = None
    if looked_after and rng.random() < 0.25:
        host = ctx.authority_ids[(la + rng.randrange(1, AUTHORITIES)) % AUTHORITIES]
    others = [a for a in ctx.agencies_of[la] if a != owner]
    referred = owner != ctx.csc_of[la] and rng.random() < 0.4
    agencies = [owner] + ([ctx.csc_of[la]] if referred else [])
    extra = rng.choice([1, 1, 2, 2, 3]) - len(agencies)
    for agency in rng.sample([a for a in others if a not in agencies], max(0, extra)):
        agencies.append(agency)
    child = VolumeChild(
        id=ctx.uuid(),
        home=la,
        owner=owner,
        created_by=ctx.officer(owner),
        created_at=created_at,
        agencies=agencies[:3],
        referred=referred,
        looked_after=looked_after,
        host=host,
        identified=identified,
    )
    ctx.children.append(child)
    age_days = rng.randrange(8 * 365, 18 * 365 - 30)
    first = invented_first_name(rng) if identified else ""
    last = invented_last_name(rng) if identified else ""
    return (
        child.id, identified, first, last,
        invented_first_name(rng) if rng.random() < 0.1 else "",
        "" if identified else "Seen with older males near the bus station; about 14.",
        (ctx.now - timedelta(days=age_days)).date(), str(rng.choice(_GENDERS)),
        rng.choice(_ETHNICITIES), "",
        LookedAfterStatus.LOOKED_AFTER.value if looked_after else LookedAfterStatus.NOT_LOOKED_AFTER.value,
        ctx.authority_ids[la], host,
        "The host area's CSE lead, by phone and secure e-mail." if host else "",
        rng.sample(_RISKS, rng.choice([0, 0, 1, 2])),
        owner, child.created_by, created_at, created_at,
    )  # fmt: skip


def _involvements_and_permissions(ctx: VolumeContext) -> None:
    reasons = [Involvement.Reason.CREATED_RECORD, Involvement.Reason.EXPLICIT_SHARE]
    rows = []
    for child in ctx.children:
        for n, agency in enumerate(child.agencies):
            if n == 0:
                reason, by = reasons[0], child.created_by
            elif agency == ctx.csc_of[child.home] and child.referred:
                reason, by = Involvement.Reason.REFERRAL, child.created_by
            else:
                reason, by = reasons[1], child.created_by
            at = child.created_at if n == 0 else ctx.some_time_after(child.created_at, 30)
            rows.append((child.id, agency, str(reason), by, at))
    ctx.copy(Involvement, ["child_id", "agency_id", "reason", "granted_by_id", "granted_at"], rows)
    # The access layer reads guardian's direct rows: the agency's group, the permission, the
    # child; exactly what `services.involvement_grant` writes for each open involvement.
    permissions = Permission.objects.filter(
        content_type__app_label="cse_portal", codename__in=INVOLVED_PERMISSIONS
    )
    permission_ids = list(permissions.values_list("id", flat=True))
    if len(permission_ids) != len(INVOLVED_PERMISSIONS):
        raise RuntimeError("The child permissions are missing: run manage.py migrate")
    table = ChildGroupObjectPermission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO "{table}" (group_id, permission_id, content_object_id)
            SELECT DISTINCT a.group_id, p.id, i.child_id
            FROM cse_portal_involvement i JOIN cse_portal_agency a ON a.id = i.agency_id
            CROSS JOIN unnest(%s::int[]) AS p(id)
            WHERE i.ended_at IS NULL AND a.id = ANY(%s)""",  # noqa: S608
            [permission_ids, list(ctx.agencies)],
        )
        ctx.counts[ChildGroupObjectPermission._meta.label] = cursor.rowcount


def generate_access_log(ctx: VolumeContext, per_involvement: int) -> None:
    """Views, lists, searches and changes by the involved agencies' officers, in SQL (the
    largest table: a few million rows at 200k children), seeded from the same seed."""
    table = AccessLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(ctx.seed % 1000) / 1000])
        cursor.execute(
            f"""INSERT INTO "{table}" (at, officer_id, agency_id, action, child_id,
                object_type, object_id, detail, path, ip_address)
            SELECT LEAST(i.granted_at + random() * (%(now)s - i.granted_at), %(now)s),
                   m.first_officer + floor(random() * {OFFICERS_PER_AGENCY})::int, i.agency_id,
                   (ARRAY['view','view','view','view','export','change','share'])[1 + floor(random() * 7)::int],
                   i.child_id, 'child record', '', '',
                   '/children/' || i.child_id || '/', ('10.0.0.' || (1 + floor(random() * 200)::int))::inet
            FROM cse_portal_involvement i
            CROSS JOIN generate_series(1, %(n)s) AS s(n)
            JOIN (SELECT unnest(%(agencies)s::int[]) AS agency_id,
                         unnest(%(firsts)s::int[]) AS first_officer) m
              ON m.agency_id = i.agency_id
            ORDER BY i.id, s.n""",  # noqa: S608
            {
                "now": ctx.now,
                "n": per_involvement,
                "agencies": list(ctx.officers_of),
                "firsts": [min(ids) for ids in ctx.officers_of.values()],
            },
        )
        ctx.counts[AccessLog._meta.label] = cursor.rowcount


def child_age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _models_loaded(ctx: VolumeContext) -> list[type[models.Model]]:
    from django.apps import apps

    return [apps.get_model(label) for label in ctx.counts]


def check_foreign_keys(ctx: VolumeContext) -> list[str]:
    """Every foreign key of every table loaded points at a row (the bulk load skipped the
    checks): the problems, or []."""
    problems = []
    with connection.cursor() as cursor:
        for model in _models_loaded(ctx):
            for f in model._meta.concrete_fields:
                if not isinstance(f, models.ForeignKey):
                    continue
                target = f.related_model._meta  # type: ignore[union-attr]
                cursor.execute(
                    f'SELECT count(*) FROM "{model._meta.db_table}" t '  # noqa: S608
                    f'WHERE t."{f.column}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM '
                    f'"{target.db_table}" r WHERE r."{f.target_field.column}" = t."{f.column}")'
                )
                broken = cursor.fetchone()[0]
                if broken:
                    problems.append(f"{model._meta.label}.{f.name}: {broken} rows")
    return problems


def reset_sequences(ctx: VolumeContext) -> None:
    with connection.cursor() as cursor:
        for model in _models_loaded(ctx):
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField):
                continue
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', %s), "  # noqa: S608
                f'COALESCE((SELECT MAX("{pk.column}") FROM "{table}"), 1))',
                [pk.column],
            )


def analyze(ctx: VolumeContext) -> None:
    """VACUUM (the visibility map lets index-only scans skip the heap) and ANALYZE; inside a
    transaction (the tests) ANALYZE only."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in _models_loaded(ctx):
            cursor.execute(f'{command} "{model._meta.db_table}"')


_SANITY = [
    ("Children", "SELECT count(*) FROM cse_portal_child"),
    (
        "Involved agencies per child (min, avg, max)",
        "SELECT min(n), round(avg(n), 2), max(n) FROM (SELECT count(DISTINCT agency_id) n "
        "FROM cse_portal_involvement GROUP BY child_id) x",
    ),
    (
        "Children an agency sees (min, avg, max)",
        "SELECT min(n), round(avg(n)), max(n) FROM (SELECT count(*) n FROM "
        "cse_portal_childgroupobjectpermission g JOIN auth_permission p ON p.id = g.permission_id "
        "WHERE p.codename = 'view_child' GROUP BY g.group_id) x",
    ),
    (
        "Children with no permission row (must be 0)",
        "SELECT count(*) FROM cse_portal_child c WHERE NOT EXISTS (SELECT 1 FROM "
        "cse_portal_childgroupobjectpermission g WHERE g.content_object_id = c.id)",
    ),
    ("Access-log rows", "SELECT count(*) FROM cse_portal_accesslog"),
]


def sanity_report(extra: Sequence[tuple[str, str]] = ()) -> list[str]:
    """A few figures of the data set, read back from the database."""
    lines = ["Sanity checks:"]
    with connection.cursor() as cursor:
        for label, sql in [*_SANITY, *extra]:
            cursor.execute(sql)
            lines.append(f"  {label}: {', '.join(str(v) for v in cursor.fetchone())}")
    return lines
