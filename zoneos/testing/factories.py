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
