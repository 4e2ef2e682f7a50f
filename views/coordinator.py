"""The county coordinator's tools: certify hosts (as data: who checked what, when), suspend at
once, the report queue, and matching rounds."""

from __future__ import annotations

from datetime import timedelta

import flet as ft

from app import theme
from app.state.hosts import HostsState
from services.dates import parse_timestamp
from services.i18n import N_
from views.common import button, card, heading, tagged, text_field, use_t
from views.superhost_text import REPORT_REASONS, municipality_name


@ft.component
def CertifyForm(hosts: HostsState, host_id: str) -> ft.Control:
    t = use_t()
    _ = t.gettext
    today = hosts.runtime.today
    interviewed, set_interviewed = ft.use_state(today.isoformat())
    trained, set_trained = ft.use_state(today.isoformat())
    police, set_police = ft.use_state(today.isoformat())
    version, set_version = ft.use_state("")
    until, set_until = ft.use_state((today + timedelta(days=365)).isoformat())

    async def certify(_e: object = None) -> None:
        await hosts.certify_host(
            host_id,
            {
                "interviewed_on": interviewed,
                "trained_on": trained,
                "police_certificate_seen_on": police,
                "code_of_conduct_version": version,
                "valid_until": until,
            },
        )

    def field(key: str, label: str, value: str, setter: object) -> ft.Control:
        return text_field(f"certify-{key}-{host_id}", label, value, setter)

    return ft.Column(
        [
            field("interviewed", _("Interviewed on (YYYY-MM-DD)"), interviewed, set_interviewed),
            field("trained", _("Training completed on"), trained, set_trained),
            field("police", _("Police certificate seen on (never keep a copy)"), police, set_police),
            field("version", _("Code of conduct signed (version)"), version, set_version),
            field("until", _("Valid until (at most 3 years)"), until, set_until),
            button(f"certify-send-{host_id}", _("Certify"), certify if version.strip() else None),
        ],
        spacing=8,
    )


@ft.component
def CoordinatorHost(hosts: HostsState, host: dict) -> ft.Control:
    t = use_t()
    _ = t.gettext
    open_form, set_open_form = ft.use_state(False)
    hid = host["host_id"]

    async def suspend(_e: object = None) -> None:
        await hosts.suspend_host(hid, "suspended by coordinator")

    langs = t.format_list([t.language_name(c) for c in host["languages"]])
    rows: list[ft.Control] = [
        heading(host["first_name"], size=17),
        ft.Text(f"{municipality_name(host['municipality'])} · {langs}", color=theme.MUTED_TEXT),
    ]
    if host.get("introduction"):
        rows.append(ft.Text(host["introduction"], color=theme.ON_SURFACE))
    actions: list[ft.Control] = []
    if host["status"] != "certified":
        actions.append(
            button(f"certify-{hid}", _("Record certification"), lambda: set_open_form(True), kind="outlined")
        )
    if host["status"] in ("certified", "expired"):
        actions.append(button(f"suspend-{hid}", _("Suspend now"), suspend, kind="text"))
    rows.append(ft.Row(actions, wrap=True))
    if open_form:
        rows.append(CertifyForm(hosts, hid))
    return card(f"coordinator-host-{hid}", rows, spacing=6)


AUDIT_ACTIONS = {
    "certify_host": N_("certified a host"),
    "suspend_host": N_("suspended a host"),
    "handle_report": N_("closed a report"),
    "set_neighbours": N_("changed neighbouring municipalities"),
    "run_round": N_("ran a matching round"),
    "enrol_device": N_("enrolled a phone"),
    "verify_employer": N_("verified an employer"),
}


@ft.component
def CoordinatorSection(hosts: HostsState) -> ft.Control:
    t = use_t()
    _ = t.gettext

    async def run_round(_e: object = None) -> None:
        await hosts.run_round()

    def mark_handled(report_id: str):  # noqa: ANN202 - an event handler
        async def handled(_e: object = None) -> None:
            await hosts.report_handled(report_id)

        return handled

    groups = {
        "pending": _("Waiting for certification"),
        "certified": _("Certified hosts"),
        "expired": _("Certification expired"),
        "suspended": _("Suspended"),
    }
    rows: list[ft.Control] = []
    for status, title in groups.items():
        group = [h for h in hosts.coordinator_hosts if h["status"] == status]
        rows.append(heading(f"{title} ({len(group)})", size=18))
        rows += [CoordinatorHost(hosts, h, key=f"c-host-{h['host_id']}") for h in group]
    rows.append(heading(_("Reports"), size=18))
    if not hosts.coordinator_reports:
        rows.append(ft.Text(_("No open reports."), color=theme.MUTED_TEXT))
    for report in hosts.coordinator_reports:
        who = _("from the family") if report["reported_by"] == "newcomer" else _("from the host")
        rows.append(
            tagged(
                f"report-{report['report_id']}",
                ft.Row(
                    [
                        ft.Text(
                            _("{reason} — {name} ({who})").format(
                                reason=_(REPORT_REASONS.get(report["reason"], report["reason"])),
                                name=report["host_first_name"],
                                who=who,
                            ),
                            color=theme.ON_SURFACE,
                            expand=True,
                        ),
                        button(
                            f"report-handled-{report['report_id']}",
                            _("Handled"),
                            mark_handled(report["report_id"]),
                            kind="text",
                        ),
                    ],
                    wrap=True,
                ),
            )
        )
    rows.append(heading(_("Matching round"), size=18))
    rows.append(button("coordinator-round", _("Match all waiting families now"), run_round, kind="outlined"))
    if hosts.last_round:
        r = hosts.last_round
        rows.append(
            tagged(
                "round-result",
                ft.Text(
                    _(
                        "{assigned} of {households} families matched; {waitlisted} on the waiting list."
                    ).format(assigned=r["assigned"], households=r["households"], waitlisted=r["waitlisted"]),
                    color=theme.ON_SURFACE,
                ),
            )
        )
    rows.append(heading(_("What coordinators did"), size=18))
    if not hosts.coordinator_audit:
        rows.append(ft.Text(_("Nothing yet."), color=theme.MUTED_TEXT))
    for entry in hosts.coordinator_audit[:20]:
        when = t.format_date(parse_timestamp(entry["at"]).date())
        what = _(AUDIT_ACTIONS.get(entry["action"], entry["action"]))
        rows.append(ft.Text(f"{when} · {entry['coordinator']} · {what}", color=theme.ON_SURFACE))
    return ft.Column(rows, spacing=10)
