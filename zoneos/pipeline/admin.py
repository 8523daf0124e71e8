from django.contrib import admin

from .models import FollowUp, IndustryGroup, InvestorConflict, Project, SigningBatch, Stage, StageEvent


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["category", "zone", "name", "name_en"]
    list_filter = ["category"]


class StageEventInline(admin.TabularInline):
    model = StageEvent
    extra = 0
    readonly_fields = ["from_category", "to_category", "on", "by", "note", "evidence", "left_on", "days"]
    can_delete = False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "investor_name", "stage", "total_investment", "lead_on", "flagged"]
    list_filter = ["stage", "source", "flagged"]
    search_fields = ["name", "investor_name", "investor_uscc"]
    inlines = [StageEventInline]
    readonly_fields = ["stage", "stage_on", "lead_on"]


admin.site.register(FollowUp)
admin.site.register(IndustryGroup)
admin.site.register(InvestorConflict)
admin.site.register(SigningBatch)
