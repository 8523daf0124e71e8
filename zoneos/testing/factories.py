"""Factories for valid records. A test changes only what it is about."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from zoneos.accounts.models import Membership, User
from zoneos.areas.models import Area, AreaKind, Department
from zoneos.areas.services import _write_path
from zoneos.enterprises.models import Enterprise, Indicator, Label, YearLock
from zoneos.stats.models import Target

TEST_PASSWORD = "correct-horse-battery"


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"AREA-{n}")
    name = factory.Sequence(lambda n: f"测试园区{n}")
    name_en = factory.Sequence(lambda n: f"Test Area {n}")
    kind = AreaKind.PARK
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        area = model_class(*args, **kwargs)
        area.save()
        _write_path(area)
        return area


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    area = factory.SubFactory(AreaFactory, kind=AreaKind.ZONE)
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    area = factory.SubFactory(AreaFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "leader"


class LabelFactory(DjangoModelFactory):
    class Meta:
        model = Label

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "high_tech"
    valid_from = datetime.date(2024, 1, 1)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    output_value = Decimal("1000000.00")


class YearLockFactory(DjangoModelFactory):
    class Meta:
        model = YearLock

    area = factory.SubFactory(AreaFactory)
    year = 2020
    locked_by = factory.SubFactory(UserFactory)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    area = factory.SubFactory(AreaFactory)
    metric = "output_value"
    year = 2026
    value = Decimal("100000000000.00")


def make_project(area, *, by=None, **fields):
    """A project as the service creates it (a lead with its first stage move)."""
    from zoneos.pipeline import services
    from zoneos.pipeline.models import Project
    from zoneos.pipeline.stages import BIT, StageCategory

    lead_on = fields.pop("lead_on", datetime.date(2025, 3, 1))
    defaults = {
        "name": f"项目{Project.objects.count() + 1}",
        "investor_name": f"投资方{Project.objects.count() + 1}有限公司",
        "total_investment": Decimal("100000000.00"),
    }
    project = Project.objects.create(
        area=area,
        stage=StageCategory.LEAD,
        stage_on=lead_on,
        lead_on=lead_on,
        entered_mask=BIT[StageCategory.LEAD],
        **{**defaults, **fields},
    )
    from zoneos.pipeline.models import StageEvent
    from zoneos.pipeline.names import investor_key

    project.investor_key = investor_key(project.investor_name)
    project.save(update_fields=["investor_key"])
    StageEvent.objects.create(project=project, to_category=StageCategory.LEAD, on=lead_on, by=by)
    services.detect_conflicts(project)
    return project
