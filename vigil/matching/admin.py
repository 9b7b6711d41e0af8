"""The reviewers' queue of possible duplicates: two people side by side, with the evidence, and three
buttons, "same person", "different people", "not sure". Merges can be undone from their own list."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigil.accounts.models import User
from vigil.accounts.permissions import Action, Refused, allowed
from vigil.core.text import reader_digits, reader_mark, reader_number
from vigil.core.visibility import allowed_levels
from vigil.matching import weights
from vigil.matching.models import MatchPair, MatchStatus, Merge, NameKey
from vigil.matching.normalise import analyse_name, token_keys
from vigil.matching.scoring import FEATURE_LABELS, LEVEL_LABELS, probability
from vigil.matching.selectors import current_pairs, person_summary
from vigil.matching.services import match_pair_decide, person_unmerge
from vigil.people.models import Person
from vigil.staff.admin import act_and_report, with_folded_names
from vigil.staff.moments import MomentsAdmin


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


class VerdictFilter(admin.SimpleListFilter):
    """The queue is the pairs waiting for a verdict; decided ones ("not sure" too) are a choice away."""

    title = gettext_lazy("verdict")
    parameter_name = "status"
    _ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*MatchStatus.choices, (self._ALL, _("All"))]

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or MatchStatus.PROPOSED) == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[MatchPair]) -> QuerySet[MatchPair]:
        wanted = self.value() or MatchStatus.PROPOSED
        return queryset if wanted == self._ALL else queryset.filter(status=wanted)


@admin.register(MatchPair)
class MatchPairAdmin(MomentsAdmin):
    list_display = ("pair", "probability", "status", "proposed_at")
    list_filter = (VerdictFilter,)
    # Either person's names, in any spelling or script (the folded key too: ي/ی, ك/ک, diacritics).
    search_fields = ("person_a__names__text", "person_b__names__text")
    ordering = ("-score",)
    change_form_template = "matching/review.html"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[MatchPair], search_term: str
    ) -> tuple[QuerySet[MatchPair], bool]:
        found = super().get_search_results(request, queryset, search_term)
        lookups = ("person_a__names__match_key", "person_b__names__match_key")
        found = with_folded_names(found, queryset, search_term, lookups)
        # Any other spelling or script: every part of the term has the skeleton of a part of the name
        # ("Mohamadi" finds Mohammadi and محمدی; a Latin term finds a person recorded in Persian only).
        if not search_term.strip():
            return found
        parts = token_keys(analyse_name(search_term))
        if not parts:
            return found
        people = (
            NameKey.objects.filter(key__in=parts)
            .values("person")
            .annotate(parts=Count("key", distinct=True))
            .filter(parts=len(parts))
            .values("person")
        )
        return found[0] | queryset.filter(Q(person_a__in=people) | Q(person_b__in=people)), True

    @admin.display(description=gettext_lazy("Pair"))
    def pair(self, obj: MatchPair) -> str:
        return str(obj)

    @admin.display(description=gettext_lazy("Probability"), ordering="score")
    def probability(self, obj: MatchPair) -> str:
        return reader_number(f"{obj.score:.0%}")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MatchPair]:
        return current_pairs(super().get_queryset(request), request.user).select_related(
            "person_a", "person_b"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        pair = get_object_or_404(self.get_queryset(request), pk=object_id)
        may_decide = allowed(request.user, Action.REVIEW, pair.person_a)
        if request.method == "POST":
            if not may_decide:
                raise PermissionDenied
            return self._decide(request, pair)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Are these one person?"),
            "opts": self.model._meta,
            "pair": pair,
            "probability": reader_number(f"{pair.score:.2f}"),
            "sides": [
                person_summary(pair.person_a, viewer=request.user),
                person_summary(pair.person_b, viewer=request.user),
            ],
            **_evidence(pair.evidence or {}),
            "decisions": pair.decisions.select_related("decided_by"),
            "may_decide": may_decide and pair.status in (MatchStatus.PROPOSED, MatchStatus.UNSURE),
            "verdicts": [MatchStatus.SAME, MatchStatus.DIFFERENT, MatchStatus.UNSURE],
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _decide(self, request: HttpRequest, pair: MatchPair) -> HttpResponse:
        verdict = request.POST.get("verdict", "")
        keep = pair.person_b if request.POST.get("keep") == str(pair.person_b_id) else pair.person_a
        named = str(pair)  # before a merge moves one person's names to the other
        try:
            match_pair_decide(
                pair=pair, status=verdict, actor=_user(request), note=request.POST.get("note", ""), keep=keep
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(request.path)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return HttpResponseRedirect(request.path)
        if verdict == MatchStatus.SAME:
            messages.success(request, _("Merged: %(pair)s are now one person.") % {"pair": named})
        else:
            messages.success(request, _("Recorded: %(verdict)s.") % {"verdict": MatchStatus(verdict).label})
        following = self.get_queryset(request).filter(status=MatchStatus.PROPOSED).first()
        target = following.pk if following else None
        if target is not None:
            return HttpResponseRedirect(reverse("admin:matching_matchpair_change", args=[target]))
        return HttpResponseRedirect(reverse("admin:matching_matchpair_changelist"))


@admin.register(Merge)
class MergeAdmin(MomentsAdmin):
    list_display = ("__str__", "keep", "merged", "actor", "merged_at", "undone_at")
    readonly_fields = (
        "keep",
        "merged",
        "pair",
        "actor",
        "reason",
        "merged_at",
        "what_moved",
        "undone_at",
        "undone_by",
        "undo_reason",
    )
    exclude = ("moved",)  # shown in words (``what_moved``); a merge's record is never edited by hand
    change_form_template = "matching/merge.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Merge]:
        """Merges of people the user may see, both of them (a restricted person is hidden here too)."""
        levels = allowed_levels(request.user)
        return (
            super()
            .get_queryset(request)
            .filter(keep__confidentiality__in=levels, merged__confidentiality__in=levels)
            .select_related("keep", "merged")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("What was moved"))
    def what_moved(self, merge: Merge) -> str:
        """The merge's record in words: how many rows of each kind moved or were folded, what was filled."""
        moved = merge.moved or {}
        kinds: Counter[str] = Counter()
        for entry in moved.get("repointed", []):
            kinds[_kind(entry["label"])] += 1
        folded: Counter[str] = Counter(_kind(entry["label"]) for entry in moved.get("folded", []))
        parts = [f"{kind}: {reader_digits(count)}" for kind, count in sorted(kinds.items())]
        if moved.get("citations"):
            parts.append(_("citations: %(count)s") % {"count": reader_digits(len(moved["citations"]))})
        if folded:
            folded_text = (reader_mark(",") + " ").join(
                f"{kind}: {reader_digits(count)}" for kind, count in sorted(folded.items())
            )
            parts.append(_("folded into the kept person's own: %(rows)s") % {"rows": folded_text})
        fields = {field.attname: field for field in Person._meta.concrete_fields}
        filled = [str(fields[name].verbose_name) for name in moved.get("filled", {}) if name in fields]
        if filled:
            parts.append(_("filled: %(fields)s") % {"fields": (reader_mark(",") + " ").join(filled)})
        return (reader_mark(";") + " ").join(parts) or "—"

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The form to undo the merge is offered to those who may undo it (reviewers) only."""
        merge = self.get_object(request, object_id)
        may_undo = merge is not None and allowed(request.user, Action.REVIEW, merge.merged)
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "may_undo": may_undo}
        )

    def get_urls(self) -> list[URLPattern]:
        own = [path("<int:pk>/undo/", self.admin_site.admin_view(self.undo_view), name="matching_merge_undo")]
        return own + super().get_urls()

    def undo_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        merge = get_object_or_404(Merge, pk=pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:matching_merge_change", args=[pk]))
        act_and_report(
            request,
            lambda: person_unmerge(
                merged=merge.merged, actor=_user(request), reason=request.POST.get("reason", "")
            ),
            _("The merge was undone: %(person)s is a person of their own again.") % {"person": merge.merged},
        )
        return HttpResponseRedirect(reverse("admin:matching_merge_change", args=[pk]))


def _signed(value: float) -> str:
    """A weight as the page shows it: "+0.54", "−1.59" (a real minus sign; the template keeps it on the left
    of its digits in a right-to-left page)."""
    return reader_number(f"{value:+.2f}".replace("-", "\u2212"))


def _evidence(evidence: dict[str, Any]) -> dict[str, Any]:
    """The rows of "why they were proposed": the starting point, each comparison's weight, and the total,
    which is the pair's log-odds and gives its probability. The starting point is what the stored score
    was added up from (``weights.INTERCEPT`` when the pair was scored), so the rows add up even after the
    weights are calibrated again."""
    contributions: dict[str, float] = evidence.get("weights", {})
    rows = [
        {
            "label": FEATURE_LABELS.get(feature, feature),
            "level": LEVEL_LABELS.get(level, level),
            "weight": _signed(contributions.get(feature, 0.0)),
        }
        for feature, level in evidence.get("levels", {}).items()
    ]
    # The evidence keeps three decimals: rounded again, the sum is the same whatever order the database
    # gives the weights in (PostgreSQL's JSON reorders keys; −7.305 would show as −7.30 or −7.31).
    added = round(sum(contributions.values()), 3)
    total = float(evidence.get("score", weights.INTERCEPT + added))
    return {
        "evidence_rows": rows,
        "evidence_start": _signed(round(total - added, 3)),
        "evidence_total": _signed(total),
        "evidence_probability": reader_number(f"{probability(total):.2f}"),
    }


def _kind(label: str) -> str:
    """A model's plural name from its label ("events.casualty": "casualties")."""
    return str(apps.get_model(label)._meta.verbose_name_plural)
