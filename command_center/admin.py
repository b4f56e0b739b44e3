import rules
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from binjai_portal.core import kpi

from . import services
from .models import Alert, Snapshot, Target


def _figure_choices():
    return [
        (f"{app}.{key}", f"{app} · {spec.label}")
        for (app, key), spec in sorted(kpi.registry.figures.items())
    ]


class TargetForm(forms.ModelForm):
    figure = forms.ChoiceField(label=_("Indikator"), choices=())

    class Meta:
        model = Target
        fields = ["figure", "target", "note", "alert_when_missed"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = _figure_choices()
        if self.instance.pk:
            self.initial["figure"] = f"{self.instance.app}.{self.instance.key}"

    def clean(self):
        data = super().clean()
        app, _sep, key = (data.get("figure") or "").partition(".")
        self.instance.app, self.instance.key = app, key
        return data


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Administrators set each figure's target; the overview colours tiles against it."""

    form = TargetForm
    list_display = ["app", "key", "target", "alert_when_missed", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        saved = services.target_set(
            app=obj.app,
            key=obj.key,
            target=obj.target,
            actor=request.user,
            note=obj.note,
            alert_when_missed=obj.alert_when_missed,
        )
        obj.pk = saved.pk

    def has_module_permission(self, request):
        return rules.has_perm("command_center.manage_targets", request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "app", "status", "severity", "raised_at"]
    list_filter = ["status", "app", "severity"]
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["app", "key", "date", "value"]
    list_filter = ["app", "key"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
